import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { tileProps } from "../tiles/tiles";

/** The four headline figures of the texts (satisfaction, loyalty, conversion,
 * lifetime value) side by side, per tier, sales team or month: the columns
 * are those of the installed addons, each cell opens what it counts. */
export class HeadlineTile extends Component {
    static template = "crm_value.HeadlineTile";
    static props = tileProps;

    setup() {
        this.state = useState({ groupBy: this.props.data.groupings[0].key });
    }

    get format() {
        return this.props.meta.format;
    }

    get table() {
        return this.props.data.tables[this.state.groupBy];
    }

    /** The figures over the columns: consecutive columns of one figure share
     * a header cell. */
    get figureHeaders() {
        const labels = {
            customers: "",
            satisfaction: _t("Satisfaction"),
            loyalty: _t("Loyalty"),
            conversion: _t("Conversion"),
            value: _t("Lifetime Value"),
        };
        const headers = [];
        for (const column of this.table.columns) {
            const last = headers[headers.length - 1];
            if (last && last.figure === column.figure) {
                last.span += 1;
            } else {
                headers.push({ figure: column.figure, label: labels[column.figure] ?? "", span: 1 });
            }
        }
        return headers;
    }

    hasColumn(key) {
        return this.table.columns.some((column) => column.key === key);
    }

    rowName(row) {
        return this.state.groupBy === "month" ? this.format.month(row.name) : row.name;
    }

    cellText(column, cell) {
        if (column.format === "count") {
            return this.format.count(cell.count);
        }
        const value = cell.value;
        if (value === null || value === undefined) {
            return "—";
        }
        switch (column.format) {
            case "amount":
                return this.format.amount(value);
            case "percent":
                return this.format.percent(value, 1);
            case "score":
                return this.format.percent(value, 2).replace("%", "");
            default:
                return this.format.percent(value, 1).replace("%", "");
        }
    }

    onGroupBy(key) {
        this.state.groupBy = key;
    }
}

registry.category("crm_value_dashboard_tiles").add("value_headline", {
    component: HeadlineTile,
    section: "value_headline",
    sequence: 5,
    className: "col-12",
});
