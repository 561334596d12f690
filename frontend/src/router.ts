// The screens, one route each (served by gridcc as index.html for every
// path): the wall now; console, review and responders' page in issue 7.

import { createRouter, createWebHistory } from 'vue-router'
import { T } from './strings'

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', redirect: '/wall' },
    { path: '/wall', component: () => import('./screens/wall/WallScreen.vue'), meta: { title: T.wallTitle } },
    { path: '/console', component: () => import('./screens/console/ConsoleScreen.vue'), meta: { title: T.consoleTitle } },
    { path: '/review', component: () => import('./screens/review/ReviewScreen.vue'), meta: { title: T.reviewTitle } },
    { path: '/m', component: () => import('./screens/m/MobileScreen.vue'), meta: { title: T.mobileTitle } },
    { path: '/:rest(.*)*', component: () => import('./screens/NotFound.vue'), meta: { title: T.notFound } },
  ],
})

router.afterEach((to) => {
  document.title = typeof to.meta.title === 'string' ? to.meta.title : T.appTitle
})
