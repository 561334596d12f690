// The screens, one route each (served by gridcc as index.html for every
// path). The wall opens with its token link; the console and the
// responders' page sit behind a login (meta.login), and the guard below
// sends whoever is not logged in, or lacks the screen's permission, to
// /login?next=… first.

import { createRouter, createWebHistory } from 'vue-router'
import type { Perm } from './api/session'
import { useSessionStore } from './stores/session'
import { R, T } from './strings'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    /** The screen needs a logged-in user… */
    login?: boolean
    /** …whose role has this permission. */
    perm?: Perm
  }
}

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', redirect: '/wall' },
    { path: '/wall', component: () => import('./screens/wall/WallScreen.vue'), meta: { title: T.wallTitle('') } },
    {
      path: '/console',
      component: () => import('./screens/console/ConsoleScreen.vue'),
      meta: { title: T.consoleTitle, login: true, perm: 'events.act' },
    },
    { path: '/review', component: () => import('./screens/review/ReviewScreen.vue'), meta: { title: T.reviewTitle } },
    { path: '/review/print', component: () => import('./screens/review/ReportPage.vue'), meta: { title: R.reportTitle } },
    {
      path: '/m',
      component: () => import('./screens/m/MobileScreen.vue'),
      meta: { title: T.mobileTitle, login: true, perm: 'events.act' },
    },
    { path: '/login', component: () => import('./screens/login/LoginScreen.vue'), meta: { title: T.loginTitle } },
    { path: '/:rest(.*)*', component: () => import('./screens/NotFound.vue'), meta: { title: T.notFound } },
  ],
})

router.beforeEach(async (to) => {
  if (!to.meta.login) return true
  const session = useSessionStore()
  const toLogin = (denied = false) => ({ path: '/login', query: { next: to.fullPath, ...(denied ? { denied: '1' } : {}) } })
  try {
    await session.load()
  } catch {
    return toLogin() // the server did not answer: the login page says so when it tries
  }
  if (session.state !== 'user') return toLogin()
  if (to.meta.perm && !session.can(to.meta.perm)) return toLogin(true)
  return true
})

router.afterEach((to) => {
  document.title = typeof to.meta.title === 'string' ? to.meta.title : T.appTitle
})
