// The screens' entry: fonts first (canvas text needs them loaded), then
// Pinia, the router and the app.

import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { preloadFonts, uiText } from './fonts'
import './styles.css'

async function main(): Promise<void> {
  await preloadFonts(uiText())
  const app = createApp(App)
  app.use(createPinia())
  app.use(router)
  app.mount('#app')
}

void main()
