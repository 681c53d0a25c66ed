import { Component } from "@odoo/owl";
import { getColor, hexToRGBA } from "@web/core/colors/colors";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { DashboardChart } from "@crm_value/dashboard/dashboard_chart";
import { tileProps } from "@crm_value/dashboard/tiles/tiles";

const tiles = registry.category("crm_value_dashboard_tiles");

/** The lifecycle funnel: customers per stage, conversion rates between stages. */
export class FunnelTile extends Component {
    static template = "crm_lifecycle.FunnelTile";
    static props = tileProps;

    get format() {
        return this.props.meta.format;
    }

    barWidth(stage) {
        const most = Math.max(1, ...this.props.data.stages.map((s) => s.count));
        return `width: ${Math.max(2, (100 * stage.count) / most)}%;`;
    }
}

/** Churn and win-back rates per month (the churn report's rows). */
export class ChurnTile extends Component {
    static template = "crm_lifecycle.ChurnTile";
    static components = { DashboardChart };
    static props = tileProps;

    get format() {
        return this.props.meta.format;
    }

    chartConfig() {
        const months = this.props.data.months;
        const churn = getColor(1);
        const winBack = getColor(10);
        const dataset = (label, key, color) => ({
            label,
            data: months.map((m) => m[key]),
            borderColor: color,
            backgroundColor: hexToRGBA(color, 0.2),
            pointRadius: 3,
            borderWidth: 2,
            tension: 0,
        });
        return {
            type: "line",
            data: {
                labels: months.map((m) => this.format.month(m.month)),
                datasets: [
                    dataset(_t("Churn rate"), "churn_rate", churn),
                    dataset(_t("Win-back rate"), "win_back_rate", winBack),
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                scales: {
                    y: { beginAtZero: true, ticks: { callback: (v) => `${v}%` } },
                },
                plugins: {
                    legend: { position: "bottom" },
                    tooltip: {
                        callbacks: {
                            label: (item) =>
                                `${item.dataset.label}: ${this.format.percent(item.parsed.y, 1)}`,
                        },
                    },
                },
            },
        };
    }
}

/** The customers at risk now, with their lifetime value at stake. */
export class AtRiskTile extends Component {
    static template = "crm_lifecycle.AtRiskTile";
    static props = tileProps;

    get format() {
        return this.props.meta.format;
    }
}

tiles.add("lifecycle_funnel", {
    component: FunnelTile,
    section: "lifecycle_funnel",
    sequence: 40,
});
tiles.add("lifecycle_churn", { component: ChurnTile, section: "lifecycle_churn", sequence: 50 });
tiles.add("lifecycle_at_risk", {
    component: AtRiskTile,
    section: "lifecycle_at_risk",
    sequence: 60,
});
