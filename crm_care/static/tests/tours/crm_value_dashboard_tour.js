import { registry } from "@web/core/registry";

/**
 * Opens the Customer Value dashboard as a manager, checks every tile's
 * figures against the numbers the test read from the database, then clicks
 * through the largest tier to its list and comes back.
 *
 * The test (crm_care/tests/test_dashboard_tour.py) stores its numbers in
 * sessionStorage under this key before starting the tour.
 */
export const EXPECTED_KEY = "crm_value_dashboard_tour_expected";

function expected() {
    return JSON.parse(sessionStorage.getItem(EXPECTED_KEY) || "null");
}

function shows(selector, text, content) {
    return {
        content: `${content}: ${text}`,
        trigger: selector,
        run() {
            const shown = this.anchor.textContent.trim();
            if (shown !== String(text)) {
                throw new Error(`${content}: the database says ${text}, the dashboard shows ${shown}`);
            }
        },
    };
}

registry.category("web_tour.tours").add("crm_value_dashboard", {
    url: "/odoo/customer-value-dashboard",
    steps: () => {
        const numbers = expected();
        if (!numbers) {
            return [];
        }
        const steps = [
            {
                content: "the dashboard opens on the current company",
                trigger: `.o_crm_value_dashboard_company:contains(${numbers.company})`,
            },
        ];
        for (const [code, count] of Object.entries(numbers.tiers)) {
            steps.push(
                shows(
                    `[data-tile=pyramid] [data-tier=${code}] .o_value_count`,
                    count,
                    `customers of the tier ${code}`
                )
            );
        }
        for (const [key, count] of Object.entries(numbers.quadrants)) {
            steps.push(
                shows(
                    `[data-tile=matrix] [data-quadrant=${key}] .o_value_count`,
                    count,
                    `customers in the quadrant ${key}`
                )
            );
        }
        steps.push(
            {
                content: "the Pareto curve is drawn (managers see it)",
                trigger: "[data-tile=pareto] canvas",
            },
            shows("[data-tile=lifecycle_at_risk] .o_value_count", numbers.at_risk, "customers at risk"),
            shows("[data-figure=open] .o_value_count", numbers.complaints_open, "open complaints"),
            shows("[data-figure=late] .o_value_count", numbers.complaints_late, "late complaints")
        );
        for (const [code, count] of Object.entries(numbers.coverage)) {
            steps.push(
                shows(
                    `[data-tile=care_coverage] [data-tier=${code}] .o_value_count`,
                    count,
                    `${code} customers in the care coverage`
                )
            );
        }
        for (const [tierId, count] of Object.entries(numbers.headline_tiers || {})) {
            steps.push(
                shows(
                    `[data-tile=value_headline] tr[data-group="${tierId}"] [data-column=customer_count] .o_value_cell`,
                    count,
                    `headline figures: customers of the tier ${tierId}`
                )
            );
        }
        if (numbers.headline_tiers) {
            steps.push(
                {
                    content: "the headline figures show satisfaction, loyalty and lifetime value",
                    trigger: "[data-tile=value_headline] th[data-column=nps] ~ th[data-column=loyalty_index] ~ th[data-column=clv]",
                },
                {
                    content: "group the headline figures by month",
                    trigger: "[data-tile=value_headline] button[data-group-by=month]",
                    run: "click",
                },
                {
                    content: "one row per month of the period, with the conversion",
                    trigger: `.o_crm_value_headline_table[data-group-by=month]:has(tbody tr:nth-child(${numbers.period_months})) th[data-column=conversion_rate]`,
                }
            );
        }
        steps.push(
            {
                content: `open the customers of the tier ${numbers.click_tier}`,
                trigger: `[data-tile=pyramid] [data-tier=${numbers.click_tier}] .o_crm_value_pyramid_level`,
                run: "click",
            },
            {
                content: "the list of that tier opens",
                trigger: ".o_list_view .o_data_row",
                run() {
                    const rows = document.querySelectorAll(".o_list_view .o_data_row").length;
                    if (rows !== numbers.tiers[numbers.click_tier]) {
                        throw new Error(
                            `the tile counts ${numbers.tiers[numbers.click_tier]} customers, the list shows ${rows}`
                        );
                    }
                },
            },
            {
                content: "back to the dashboard",
                trigger: ".o_breadcrumb li.o_back_button a",
                run: "click",
            },
            {
                content: "the dashboard shows again",
                trigger: "[data-tile=pyramid] .o_crm_value_pyramid_level",
            }
        );
        return steps;
    },
});
