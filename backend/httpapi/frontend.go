package httpapi

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"
)

// noFrontendPage is served when the frontend has not been built, so an
// operator sees what to do instead of a bare 404.
const noFrontendPage = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>gridcc</title>
<body style="font-family:sans-serif;background:#0b1a2b;color:#dfe8f3;padding:3em">
<h1>gridcc 社会治理指挥中心</h1><p>前端尚未构建 — the frontend has not been built.</p>
<p>Run <code>scripts/up.sh</code> (it builds <code>frontend/</code>), or set GRIDCC_FRONTEND_DIR.</p>
<p>API: <a href="/readyz">/readyz</a> · <a href="/metrics">/metrics</a> · <a href="/api/v1/geo/streets">/api/v1/geo/streets</a></p></body></html>`

// mountFrontend serves the built single-page app for every GET that no API
// route took: a file when it exists (hashed assets, cached for a year), else
// index.html so the app's router handles /wall, /console, /review and /m.
//
// exchange runs first: a screen opened with ?token= trades it for a session
// cookie and is redirected before any page is served.
func mountFrontend(e *gin.Engine, dir string, exchange gin.HandlerFunc) {
	notFound := func(c *gin.Context) { writeErrorStatus(c, http.StatusNotFound, "not_found", "no such route") }
	e.NoRoute(exchange, func(c *gin.Context) {
		p := c.Request.URL.Path
		if (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) ||
			strings.HasPrefix(p, "/api/") || p == "/ws" {
			notFound(c)
			return
		}
		index := filepath.Join(dir, "index.html")
		if _, err := os.Stat(index); err != nil {
			c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(noFrontendPage))
			return
		}
		// path.Clean on a rooted path cannot climb above the root, so the
		// file stays inside dir.
		file := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+p)))
		if st, err := os.Stat(file); err == nil && !st.IsDir() {
			if strings.HasPrefix(p, "/assets/") {
				c.Header("Cache-Control", "public, max-age=31536000, immutable")
			}
			c.File(file)
			return
		}
		if path.Ext(p) != "" {
			notFound(c) // a missing asset is an error, not the app shell
			return
		}
		c.Header("Cache-Control", "no-cache")
		c.File(index)
	})
}
