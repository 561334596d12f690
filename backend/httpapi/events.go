package httpapi

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/ingest"
)

// readBody reads at most limit bytes. A larger body is a 413 whatever its
// content — including a valid object followed by megabytes of trailing
// bytes, which a streaming JSON decoder would silently never read.
func readBody(c *gin.Context, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, limit))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, apperr.New(apperr.TooLarge, "the body is larger than %d bytes", limit)
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "cannot read the body")
	}
	return body, nil
}

// ingestSource is the source system name of the authenticated ingest token.
func ingestSource(c *gin.Context) string {
	src, _ := principal(c).Role.Source()
	return src
}

// postEvent is POST /api/v1/events: 202 for a new event, 200 with
// "duplicate": true for a re-send of the same kind+source_id and content.
func (s *Server) postEvent(c *gin.Context) {
	body, err := readBody(c, event.MaxBodyBytes)
	if err != nil {
		writeError(c, err)
		return
	}
	in, err := event.DecodeInput(body)
	if err != nil {
		writeError(c, err)
		return
	}
	res, err := s.ingest.Ingest(c.Request.Context(), ingestSource(c), in)
	if err != nil {
		writeError(c, err)
		return
	}
	status := http.StatusAccepted
	if res.Duplicate {
		status = http.StatusOK
	}
	c.JSON(status, res)
}

// batchItem is one item's result in a batch response.
type batchItem struct {
	Index  int          `json:"index"`
	Status int          `json:"status"`
	Error  *ErrorDetail `json:"error,omitempty"`
	*ingest.Result
}

// postBatch is POST /api/v1/events/batch: up to event.MaxBatch items, each
// with its own result. The response is 202 when every item was accepted
// (or was a duplicate), 207 when some were refused, and the items' common
// 4xx when none was accepted.
func (s *Server) postBatch(c *gin.Context) {
	body, err := readBody(c, event.MaxBatchBodyBytes)
	if err != nil {
		writeError(c, err)
		return
	}
	items, err := event.DecodeBatch(body)
	if err != nil {
		writeError(c, err)
		return
	}
	results, err := s.ingest.IngestBatch(c.Request.Context(), ingestSource(c), items)
	if err != nil {
		writeError(c, err)
		return
	}
	out := make([]batchItem, len(results))
	accepted, firstErr := 0, 0
	for i, r := range results {
		out[i] = batchItem{Index: i}
		if r.Err != nil {
			d := detailOf(r.Err)
			out[i].Status, out[i].Error = statusOf[d.Code], &d
			if firstErr == 0 {
				firstErr = out[i].Status
			}
			continue
		}
		res := r.Result
		out[i].Result = &res
		out[i].Status = http.StatusAccepted
		if res.Duplicate {
			out[i].Status = http.StatusOK
		}
		accepted++
	}
	status := http.StatusAccepted
	switch {
	case accepted == 0:
		status = firstErr
	case accepted < len(results):
		status = http.StatusMultiStatus
	}
	c.JSON(status, gin.H{"accepted": accepted, "rejected": len(results) - accepted, "results": out})
}
