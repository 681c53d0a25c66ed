import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { DashboardFormat } from "./format";

/**
 * The Customer Value dashboard (客户价值看板), for the current company and a
 * period. One server call (crm.value.dashboard.get_dashboard_data) returns
 * the sections; each tile of the `crm_value_dashboard_tiles` registry shows
 * the section it names, so every addon adds its own tiles:
 *
 *   registry.category("crm_value_dashboard_tiles").add("pyramid", {
 *       component: PyramidTile, section: "pyramid", sequence: 10,
 *   });
 *
 * A tile receives `data` (its section), `meta` (period, amounts shown,
 * formatters) and `openAction(action)`, which opens the list behind a figure.
 */
export class CustomerValueDashboard extends Component {
    static template = "crm_value.Dashboard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({
            period: this.props.state?.period || 12,
            data: null,
            loading: false,
        });
        useSetupAction({ getLocalState: () => ({ period: this.state.period }) });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        try {
            this.state.data = await this.orm.call(
                "crm.value.dashboard",
                "get_dashboard_data",
                [],
                { period_months: this.state.period }
            );
        } finally {
            this.state.loading = false;
        }
    }

    get periods() {
        return this.state.data?.periods || [3, 6, 12];
    }

    get tiles() {
        const sections = this.state.data?.sections || {};
        return registry
            .category("crm_value_dashboard_tiles")
            .getEntries()
            .filter(([, tile]) => tile.section in sections)
            .map(([key, tile]) => ({ key, ...tile }))
            .sort((a, b) => (a.sequence || 100) - (b.sequence || 100));
    }

    get meta() {
        const data = this.state.data;
        return {
            company: data.company,
            dateFrom: data.date_from,
            dateTo: data.date_to,
            periodMonths: data.period_months,
            showAmounts: data.show_amounts,
            format: new DashboardFormat(data.currency),
        };
    }

    periodLabel(months) {
        return _t("Last %s months", months);
    }

    async onPeriodChange(ev) {
        this.state.period = parseInt(ev.target.value);
        await this.load();
    }

    openAction(action) {
        if (action) {
            return this.actionService.doAction(action);
        }
    }
}

registry.category("actions").add("crm_value.dashboard", CustomerValueDashboard);
