import { formatDate, parseDate } from "@web/core/l10n/dates";
import { formatFloat, formatInteger } from "@web/views/fields/formatters";

/** Number formats of the dashboard's tiles, in the user's language. */
export class DashboardFormat {
    constructor(currency) {
        this.currency = currency;
    }

    count(value) {
        return formatInteger(value || 0);
    }

    percent(value, digits = 0) {
        return `${formatFloat(value || 0, { digits: [16, digits] })}%`;
    }

    amount(value) {
        const amount = formatFloat(value || 0, { digits: [16, 0] });
        const { symbol, position } = this.currency;
        return position === "before" ? `${symbol}\u00a0${amount}` : `${amount}\u00a0${symbol}`;
    }

    date(value) {
        return value ? formatDate(parseDate(value)) : "";
    }

    month(value) {
        return value ? parseDate(value).toFormat("LLL yyyy") : "";
    }
}
