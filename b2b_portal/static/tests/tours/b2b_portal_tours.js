/** @odoo-module **/

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// Click a tab of the portal's navigation and wait for its page: the page
// before often shows the same rows (the dashboard lists orders and invoices),
// and a step that matches them while the browser navigates is lost.
function openTab(label) {
    return [
        { trigger: `.o_b2b_nav a:contains(${label})`, run: "click" },
        { content: `the ${label} page is in`, trigger: `.o_b2b_nav a.active:contains(${label})` },
    ];
}

// (1) Log in, land on the dashboard, find a product, read its price, stock and
// breaks, add it to the cart and submit the order with a PO reference.
tours.add("b2b_portal_order", {
    url: "/web/login",
    steps: () => [
        { trigger: "input[name=login]", run: "edit b2b_buyer_b" },
        { trigger: "input[name=password]", run: "edit b2b_buyer_b" },
        { trigger: "button[type=submit]", run: "click" },
        { content: "lands on the B2B dashboard", trigger: ".o_b2b_nav a.active:contains(Dashboard)" },
        ...openTab("Catalog"),
        { trigger: "input.o_b2b_search", run: "edit Cola" },
        { trigger: "button.o_b2b_search_button", run: "click" },
        { content: "the search results, not the page before", trigger: "input.o_b2b_search[value=Cola]" },
        { trigger: ".o_b2b_product_row a.o_b2b_product_link:contains(Cola Case)", run: "click" },
        { content: "the buyer's tier price", trigger: ".o_b2b_product_page .o_b2b_price:contains(16.00)" },
        { content: "live stock", trigger: ".o_b2b_product_page .o_b2b_stock[data-status=in_stock]:contains(247)" },
        { content: "the break table", trigger: ".o_b2b_breaks .o_b2b_break_row:contains(14.40)" },
        { content: "the next break hint", trigger: ".o_b2b_next_break:contains(9)" },
        { trigger: ".o_b2b_product_page input.o_b2b_qty", run: "edit 12" },
        { trigger: ".o_b2b_product_page button.o_b2b_add", run: "click" },
        { trigger: ".o_b2b_message:contains(added to your cart)" },
        { trigger: "a.o_b2b_cart_link", run: "click" },
        { content: "priced at the break", trigger: ".o_b2b_cart_line:contains(Cola Case) .o_b2b_line_price:contains(14.40)" },
        { trigger: "#b2b_client_order_ref", run: "edit PO-TOUR-1" },
        { trigger: "button.o_b2b_submit", run: "click" },
        { trigger: ".o_b2b_submitted:contains(awaiting approval)" },
        { trigger: ".o_b2b_order_row:contains(PO-TOUR-1) .o_b2b_order_status[data-status=pending]" },
        ...openTab("Dashboard"),
        { content: "the order awaits approval", trigger: ".o_b2b_pending_count:contains(1)" },
    ],
});

// (2) Reorder a past order from the dashboard.
tours.add("b2b_portal_reorder", {
    url: "/b2b",
    steps: () => [
        { trigger: ".o_b2b_order_row:contains(PO-PAST-B) button.o_b2b_reorder", run: "click" },
        { trigger: ".o_b2b_message:contains(today's prices)" },
        { trigger: ".o_b2b_cart_line:contains(Water Case)" },
        { trigger: ".o_b2b_cart_line:contains(Cola Case)" },
        { content: "the archived product is listed as skipped", trigger: ".o_b2b_message:contains(Knife)" },
    ],
});

// (3) Favourite a product from the catalog, then add all favourites to the cart.
tours.add("b2b_portal_favorites", {
    url: "/b2b/catalog",
    steps: () => [
        { trigger: ".o_b2b_product_row:contains(Water Case) button.o_b2b_favorite", run: "click" },
        { trigger: ".o_b2b_message:contains(added to your favourites)" },
        { trigger: ".o_b2b_product_row:contains(Water Case) button.o_b2b_is_favorite" },
        ...openTab("Favourites"),
        { trigger: ".o_b2b_favorite_row:contains(Water Case) input", run: "edit 3" },
        { trigger: "button.o_b2b_add_all", run: "click" },
        { trigger: ".o_b2b_live_message:contains(favourites added to your cart)" },
        { trigger: "a.o_b2b_cart_link", run: "click" },
        { trigger: ".o_b2b_cart_line:contains(Water Case) input.o_b2b_line_qty:value(3)" },
    ],
});

// (4) Quick order with one bad line.
tours.add("b2b_portal_quick_order", {
    url: "/b2b/quick_order",
    steps: () => [
        {
            trigger: "#b2b_quick_lines",
            run(helpers) {
                helpers.edit("T-COLA 5\nNOPE-42 3");
            },
        },
        { trigger: "button.o_b2b_quick_submit", run: "click" },
        { trigger: ".o_b2b_quick_added:contains(1)" },
        { trigger: ".o_b2b_rejected_line:contains(NOPE-42 is not a reference you can order)" },
        { trigger: "a.o_b2b_cart_link .o_b2b_cart_count:contains(1)" },
    ],
});

// (5) After the office approved with a changed quantity, the buyer sees it.
tours.add("b2b_portal_approved", {
    url: "/b2b",
    steps: () => [
        { trigger: ".o_b2b_order_row:contains(PO-APPROVE) .o_b2b_order_status[data-status=approved]" },
        ...openTab("Orders"),
        { trigger: ".o_b2b_order_row:contains(PO-APPROVE) a", run: "click" },
        { content: "the approved quantity", trigger: "#portal_sale_content td:contains(9.00)" },
        { trigger: ".o_b2b_order_page_status .o_b2b_order_status[data-status=approved]" },
        // End once the page's lazy chatter bundle is in: a tour ending while
        // it loads logs an asset error after the browser has closed.
        { content: "the order page's chatter has loaded", trigger: "#chatterRoot:shadow .o-mail-Chatter" },
    ],
});

// (6) Company accounts: the administrator invites a colleague, a requester
// submits an order, the administrator approves it for the company.
function logInAs(login) {
    return [
        {
            content: `log out, then in as ${login}`,
            trigger: "body",
            run() {
                window.location.href = "/web/session/logout?redirect=/web/login";
            },
        },
        { trigger: "input[name=login]", run: `edit ${login}` },
        { trigger: "input[name=password]", run: `edit ${login}` },
        { trigger: "button[type=submit]", run: "click" },
        { trigger: ".o_b2b_nav a.active:contains(Dashboard)" },
    ];
}

tours.add("b2b_portal_company", {
    url: "/b2b",
    steps: () => [
        ...openTab("Company"),
        { trigger: "#b2b_invite_name", run: "edit Dora Dishes" },
        { trigger: "#b2b_invite_email", run: "edit dora@b.example.com" },
        { trigger: "#b2b_invite_role", run: "select requester" },
        { trigger: "button.o_b2b_invite", run: "click" },
        { trigger: ".o_b2b_message:contains(Dora Dishes is invited)" },
        { trigger: ".o_b2b_person_row:contains(Dora Dishes) select.o_b2b_role:value(requester)" },
        ...logInAs("b2b_rita"),
        ...openTab("Catalog"),
        { trigger: ".o_b2b_product_row:contains(Cola Case) button.o_b2b_add", run: "click" },
        { trigger: ".o_b2b_message:contains(added to your cart)" },
        { trigger: "a.o_b2b_cart_link", run: "click" },
        { content: "told before submitting", trigger: ".o_b2b_company_approval_notice:contains(approves every order)" },
        { trigger: "button.o_b2b_submit", run: "click" },
        { trigger: ".o_b2b_order_row .o_b2b_order_status[data-status=company_pending]" },
        ...logInAs("b2b_buyer_b"),
        ...openTab("Approvals"),
        { trigger: ".o_b2b_approval:contains(Rita Requester) button.o_b2b_company_approve", run: "click" },
        { trigger: ".o_b2b_message:contains(is approved and sent to us)" },
        { trigger: ".o_b2b_no_approvals" },
    ],
});

// (9) An order held for overdue invoices; the administrator ticks the two
// overdue invoices, pays them at once with the demo provider, and finds the
// order released.
tours.add("b2b_portal_pay_invoices", {
    url: "/b2b/orders",
    steps: () => [
        { content: "the order is on hold", trigger: ".o_b2b_order_row:contains(PO-HELD) .o_b2b_order_status[data-status=held]" },
        ...openTab("Invoices"),
        { trigger: ".o_b2b_invoice_row.table-danger:eq(0) input.o_b2b_invoice_check", run: "click" },
        { trigger: ".o_b2b_invoice_row.table-danger:eq(1) input.o_b2b_invoice_check", run: "click" },
        { trigger: "button.o_b2b_pay_selected", run: "click" },
        { content: "one amount for both", trigger: ".o_b2b_pay_amount:contains(200.50)" },
        { trigger: "input[name=o_payment_radio][data-payment-method-code=demo]", run: "click" },
        { trigger: "input[name=customer_input]", run: "edit 4242424242424242" },
        { trigger: "button[name=o_payment_submit_button]:not(:disabled)", run: "click" },
        { content: "back on the invoices, the two paid", trigger: ".o_b2b_invoices_form .o_b2b_invoice_row:only-child:not(.table-danger)", timeout: 20000 },
        ...openTab("Orders"),
        { content: "the order is released", trigger: ".o_b2b_order_row:contains(PO-HELD) .o_b2b_order_status[data-status=pending]" },
    ],
});

// Fails the tour when the page is wider than the screen (a phone must not scroll sideways).
function noSideScroll(page) {
    return {
        content: `${page} fits the screen's width`,
        trigger: "body",
        run() {
            const { scrollWidth } = document.documentElement;
            if (scrollWidth > window.innerWidth) {
                throw new Error(`${page} is ${scrollWidth}px wide on a ${window.innerWidth}px screen`);
            }
        },
    };
}

// (10) Order lists on a desktop: a product from the catalog into a new list,
// then the whole list into the cart.
tours.add("b2b_portal_lists", {
    url: "/b2b/catalog",
    steps: () => [
        { trigger: ".o_b2b_product_row:contains(Cola Case) input.o_b2b_qty", run: "edit 6" },
        { trigger: ".o_b2b_product_row:contains(Cola Case) .o_b2b_add_to_list summary", run: "click" },
        { trigger: ".o_b2b_product_row:contains(Cola Case) input[name=list_name]", run: "edit Weekly bar" },
        { trigger: ".o_b2b_product_row:contains(Cola Case) button.o_b2b_add_to_new_list", run: "click" },
        { trigger: ".o_b2b_message:contains(added to the list Weekly bar)" },
        ...openTab("Lists"),
        { trigger: ".o_b2b_list_row a.o_b2b_list_link:contains(Weekly bar)", run: "click" },
        { content: "the line at today's price", trigger: ".o_b2b_list_line:contains(Cola Case) .o_b2b_price:contains(16.00)" },
        { trigger: ".o_b2b_list_line:contains(Cola Case) input.o_b2b_list_par", run: "edit 24" },
        { trigger: "button.o_b2b_list_save", run: "click" },
        { trigger: ".o_b2b_message:contains(The list is saved)" },
        { trigger: ".o_b2b_list_line:contains(Cola Case) input.o_b2b_list_par:value(24)" },
        markPage(),
        { trigger: "button.o_b2b_list_all_to_cart", run: "click" },
        { trigger: ".o_b2b_message:contains(added to your cart)" },
        { trigger: "a.o_b2b_cart_link .o_b2b_cart_count:contains(1)" },
        samePage("the list into the cart"),
        { trigger: "a.o_b2b_cart_link", run: "click" },
        { trigger: ".o_b2b_cart_line:contains(Cola Case)" },
    ],
});

// (11) On a phone in the stockroom: count the shelf for a par list; the cart
// receives what is missing to par, by whole cases.
tours.add("b2b_portal_par_count", {
    url: "/b2b/lists",
    steps: () => [
        noSideScroll("the lists page"),
        { trigger: ".o_b2b_list_row:contains(Bar par) a.o_b2b_list_link", run: "click" },
        { trigger: "a.o_b2b_count_link", run: "click" },
        { trigger: ".o_b2b_count_line:contains(Cola Case) .o_b2b_count_par:contains(30)" },
        { trigger: ".o_b2b_count_line:contains(Cola Case) input.o_b2b_onhand", run: "edit 7" },
        { trigger: ".o_b2b_count_line:contains(Water Case) input.o_b2b_onhand", run: "edit 1" },
        noSideScroll("the count page"),
        { trigger: "button.o_b2b_count_submit", run: "click" },
        { trigger: ".o_b2b_message:contains(Restocked to par)" },
        { trigger: ".o_b2b_message:contains(Rice (not counted))" },
        { trigger: ".o_b2b_cart_line:contains(Cola Case)" },
        { trigger: ".o_b2b_cart_line:contains(Water Case)" },
    ],
});

// (12) A sales representative opens the portal for a customer's buyer, orders
// at the customer's price and stops.
tours.add("b2b_portal_sales_rep", {
    url: "/b2b",
    steps: () => [
        { trigger: ".o_b2b_rep_contact:contains(Bea Buyer) button.o_b2b_represent", run: "click" },
        { content: "the banner says for whom", trigger: ".o_b2b_rep_banner:contains(Ordering for Bistro Test Company as Bea Buyer)" },
        ...openTab("Catalog"),
        { content: "the customer's price", trigger: ".o_b2b_product_row:contains(Cola Case) .o_b2b_price:contains(16.00)" },
        { trigger: ".o_b2b_product_row:contains(Cola Case) input.o_b2b_qty", run: "edit 4" },
        { trigger: ".o_b2b_product_row:contains(Cola Case) button.o_b2b_add", run: "click" },
        { trigger: ".o_b2b_message:contains(added to your cart)" },
        { trigger: "a.o_b2b_cart_link", run: "click" },
        { trigger: "#b2b_client_order_ref", run: "edit PO-REP-TOUR" },
        { trigger: "button.o_b2b_submit", run: "click" },
        { trigger: ".o_b2b_submitted:contains(awaiting approval)" },
        { trigger: "button.o_b2b_rep_stop", run: "click" },
        { content: "back to choosing a customer", trigger: ".o_b2b_rep_switcher .o_b2b_rep_contact:contains(Bea Buyer)" },
    ],
});

// Fails the tour when the page was reloaded since markPage(): an in-place
// change must keep the page.
function markPage() {
    return { content: "mark the page", trigger: "body", run: () => (window.b2bSamePage = true) };
}
function samePage(what) {
    return {
        content: `${what}: the page was not reloaded`,
        trigger: "body",
        run() {
            if (!window.b2bSamePage) {
                throw new Error(`${what} reloaded the page`);
            }
        },
    };
}
// Fails the tour when an element is not within the screen's width.
function inView(selector) {
    return {
        content: `${selector} is in view`,
        trigger: selector,
        run() {
            const rect = this.anchor.getBoundingClientRect();
            if (rect.left < 0 || rect.right > window.innerWidth) {
                throw new Error(`${selector} is out of the screen: ${rect.left}-${rect.right} of ${window.innerWidth}px`);
            }
        },
    };
}
function scan(form, code) {
    return {
        content: `scan ${code}`,
        trigger: form,
        run() {
            this.anchor.dispatchEvent(new CustomEvent("b2b:barcode", { detail: code, bubbles: true }));
        },
    };
}

// (13) Without page reloads on a desktop: add from the catalog, type-ahead
// with Enter, a scanned label, the cart changed in place with its break
// price, a line removed and put back, the quick order grid checking lines.
tours.add("b2b_portal_live", {
    url: "/b2b/catalog",
    steps: () => [
        markPage(),
        { trigger: ".o_b2b_product_row:contains(Cola Case) input.o_b2b_qty", run: "edit 5" },
        { trigger: ".o_b2b_product_row:contains(Cola Case) button.o_b2b_add", run: "click" },
        { trigger: ".o_b2b_live_message:contains(Cola Case added to your cart)" },
        { trigger: "a.o_b2b_cart_link .o_b2b_cart_count:contains(1)" },
        samePage("adding from the catalog"),
        { trigger: "input.o_b2b_search", run: "edit Wat" },
        { content: "a suggestion with the buyer's price and stock", trigger: ".o_b2b_suggestion:contains(Water Case) .o_b2b_price:contains(8.50)" },
        { trigger: ".o_b2b_suggestion.active:contains(Water Case) .o_b2b_stock[data-status=low]" },
        { trigger: "input.o_b2b_search_qty", run: "edit 2" },
        { trigger: "input.o_b2b_search_qty", run: "press Enter" },
        { trigger: ".o_b2b_live_message:contains(Water Case added to your cart)" },
        { trigger: "a.o_b2b_cart_link .o_b2b_cart_count:contains(2)" },
        scan("form.o_b2b_catalog_filters", "5449000000996"),
        { content: "the scanned label's product added", trigger: ".o_b2b_live_message:contains(Rice added to your cart)" },
        { trigger: "a.o_b2b_cart_link .o_b2b_cart_count:contains(3)" },
        samePage("the type-ahead and the scan"),
        { trigger: ".o_b2b_product_row a.o_b2b_product_link:contains(Cola Case)", run: "click" },
        { content: "5 in the cart: 5 more to the break", trigger: ".o_b2b_live_price .o_b2b_next_break:contains(5 more)" },
        { trigger: ".o_b2b_product_page input.o_b2b_qty", run: "edit 6" },
        { content: "the price at 5 + 6", trigger: ".o_b2b_live_price .o_b2b_price:contains(14.40)" },
        { trigger: ".o_b2b_live_price:not(:has(.o_b2b_next_break))" },
        { trigger: "a.o_b2b_cart_link", run: "click" },
        { trigger: ".o_b2b_cart_line:contains(Cola Case) .o_b2b_next_break:contains(5 more)" },
        markPage(),
        { trigger: ".o_b2b_cart_line:contains(Cola Case) input.o_b2b_line_qty", run: "edit 12" },
        { trigger: ".o_b2b_cart_line:contains(Cola Case) button.o_b2b_update", run: "click" },
        { content: "the break price in place", trigger: ".o_b2b_cart_line:contains(Cola Case) .o_b2b_line_price:contains(14.40)" },
        { trigger: ".o_b2b_cart_line:contains(Cola Case) .o_b2b_line_subtotal:contains(172.80)" },
        { content: "no hint once the break is reached", trigger: ".o_b2b_cart_line:contains(Cola Case):not(:has(.o_b2b_next_break))" },
        { trigger: ".o_b2b_cart_line:contains(Water Case) button.o_b2b_remove", run: "click" },
        { trigger: ".o_b2b_live_message:contains(Water Case removed) button.o_b2b_undo", run: "click" },
        { trigger: ".o_b2b_cart_line:contains(Water Case) input.o_b2b_line_qty:value(2)" },
        { trigger: "a.o_b2b_cart_link .o_b2b_cart_count:contains(3)" },
        samePage("changing the cart"),
        ...openTab("Quick order"),
        { trigger: ".o_b2b_grid tbody tr:first-child input.o_b2b_grid_ref", run: "edit T-COLA" },
        { trigger: ".o_b2b_grid tbody tr:first-child input.o_b2b_grid_qty", run: "edit 3" },
        { content: "the line checked: found and priced", trigger: ".o_b2b_grid tbody tr:first-child .o_b2b_grid_found:contains(Cola Case) .o_b2b_price" },
        { trigger: ".o_b2b_grid tbody tr:nth-child(2) input.o_b2b_grid_ref", run: "edit NOPE-42" },
        { trigger: ".o_b2b_grid tbody tr:nth-child(2) input.o_b2b_grid_qty", run: "edit 1" },
        { trigger: ".o_b2b_grid tbody tr:nth-child(2) .o_b2b_grid_error:contains(NOPE-42 is not a reference)" },
        { trigger: "button.o_b2b_quick_submit", run: "click" },
        { trigger: ".o_b2b_quick_added:contains(1)" },
        { trigger: ".o_b2b_rejected_line:contains(NOPE-42)" },
    ],
});

// (14) On a phone: the catalog as cards with Add in view, the menu folded,
// the cart in view and editable, no page wider than the screen.
tours.add("b2b_portal_phone", {
    url: "/b2b/catalog",
    steps: () => [
        noSideScroll("the catalog"),
        inView(".o_b2b_product_row:contains(Cola Case) button.o_b2b_add"),
        inView(".o_b2b_product_row:contains(Cola Case) .o_b2b_price"),
        inView(".o_b2b_product_row:contains(Cola Case) .o_b2b_stock"),
        inView(".o_b2b_nav_phone a.o_b2b_cart_link"),
        { trigger: ".o_b2b_product_row:contains(Cola Case) button.o_b2b_add", run: "click" },
        { trigger: ".o_b2b_live_message:contains(Cola Case added to your cart)" },
        { trigger: ".o_b2b_nav_phone .o_b2b_cart_count:contains(1)" },
        { trigger: ".o_b2b_nav_menu summary", run: "click" },
        { trigger: ".o_b2b_nav_menu a:contains(Favourites)", run: "click" },
        { content: "the favourites page", trigger: ".o_b2b_no_favorites" },
        noSideScroll("the favourites"),
        { trigger: ".o_b2b_nav_menu summary", run: "click" },
        { trigger: ".o_b2b_nav_menu a:contains(Quick order)", run: "click" },
        { content: "the quick order page", trigger: ".o_b2b_grid tbody tr" },
        noSideScroll("the quick order"),
        inView(".o_b2b_grid tbody tr:first-child input.o_b2b_grid_qty"),
        { trigger: ".o_b2b_nav_menu summary", run: "click" },
        { trigger: ".o_b2b_nav_menu a:contains(Dashboard)", run: "click" },
        { content: "the dashboard", trigger: ".o_b2b_pending_count" },
        noSideScroll("the dashboard"),
        { trigger: ".o_b2b_nav_phone a.o_b2b_cart_link", run: "click" },
        { content: "the cart page", trigger: ".o_b2b_cart_page .o_b2b_cart_line" },
        noSideScroll("the cart"),
        inView(".o_b2b_cart_line:contains(Cola Case) input.o_b2b_line_qty"),
        inView(".o_b2b_cart_line:contains(Cola Case) button.o_b2b_remove"),
        { trigger: ".o_b2b_cart_line:contains(Cola Case) input.o_b2b_line_qty", run: "edit 12" },
        { trigger: ".o_b2b_cart_line:contains(Cola Case) button.o_b2b_update", run: "click" },
        { trigger: ".o_b2b_cart_line:contains(Cola Case) .o_b2b_line_price:contains(14.40)" },
        noSideScroll("the cart after a change"),
        { trigger: ".o_b2b_cart_line a:contains(Cola Case)", run: "click" },
        // Each page's own element before a check of the page: a step right
        // after a click that navigates could otherwise run on the page left.
        { content: "the product page", trigger: ".o_b2b_product_page .o_b2b_live_price" },
        noSideScroll("the product page"),
    ],
});
