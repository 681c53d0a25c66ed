import { Component, onWillStart, onWillUnmount, useEffect, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";

/**
 * A Chart.js chart from Odoo's own bundle (web.chartjs_lib, loaded on first
 * use as the graph view does). `config` is a function returning a fresh
 * Chart.js configuration: the chart is redrawn when the tile renders again.
 */
export class DashboardChart extends Component {
    static template = "crm_value.DashboardChart";
    static props = { config: Function, height: { type: Number, optional: true } };
    static defaultProps = { height: 220 };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(() => {
            this.chart?.destroy();
            this.chart = new Chart(this.canvasRef.el, this.props.config());
        });
        onWillUnmount(() => this.chart?.destroy());
    }
}
