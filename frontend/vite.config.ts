import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

// The gridcc server the dev server forwards /api and /ws to (`npm run dev`).
const backend = process.env.GRIDCC_DEV_BACKEND ?? 'http://127.0.0.1:8080'

// woff2Only drops the WOFF fallbacks from @fontsource's CSS: every browser a
// wall or console runs supports WOFF2, and the fallbacks would add ~5 MB per
// weight to dist/ (and to the binary that embeds it).
function woff2Only(): Plugin {
  return {
    name: 'gridcc-woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('@fontsource') || !id.endsWith('.css')) return null
      return { code: code.replace(/,\s*url\([^)]*\.woff\) format\('woff'\)/g, ''), map: null }
    },
  }
}

export default defineConfig({
  base: '/',
  plugins: [vue(), woff2Only()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2022',
    // ECharts alone is ~600 KB minified even tree-shaken; it is one lazily
    // loaded chunk for the wall, so the warning limit is raised to that.
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/ws': { target: backend, ws: true, changeOrigin: false },
    },
  },
})
