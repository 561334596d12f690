// The one place ECharts is assembled: only the charts, components and
// renderer the screens use are registered (tree-shaken through
// echarts/core), with the dark theme and the bundled font.

import * as echarts from 'echarts/core'
import { BarChart, LineChart, LinesChart, ScatterChart } from 'echarts/charts'
import { GeoComponent, GridComponent, LegendComponent } from 'echarts/components'
import { LabelLayout } from 'echarts/features'
import { CanvasRenderer } from 'echarts/renderers'
import { FONT_FAMILY, THEME } from '../theme'

echarts.use([BarChart, LineChart, LinesChart, ScatterChart, GeoComponent, GridComponent, LegendComponent, LabelLayout, CanvasRenderer])

/** The theme name every chart of gridcc is created with. */
export const THEME_NAME = 'gridcc-dark'

echarts.registerTheme(THEME_NAME, {
  backgroundColor: 'transparent',
  textStyle: { fontFamily: FONT_FAMILY, color: THEME.text },
  color: THEME.series,
})

export { echarts }
export type { ECharts, EChartsCoreOption } from 'echarts/core'
