/* Call center CTI: the screen pop.
 *
 * The server publishes {type: 'callcenter.screen_pop', call, event, number,
 * parties, ...} on the agent's own channel when a call rings or is answered
 * at the agent's phone. One pop per call: the ring pops, the answer of the
 * same call does not pop again.
 *
 * What opens is decided by the server alone: the message's `open` is the
 * list of tabs ({model, res_id, domain, context, mode, name, view_ids}: the
 * customer, the call panel, the new ticket…), opened in that order
 * (Call._screen_pop_tabs).
 *
 * Latency (CTI-03): a customer's tab may carry `values`, the card's fields
 * as sao would read them: 05_pop_card.js shows them without a round trip.
 * The next tabs (call panel, ticket) open only once the card has been
 * painted, so that they do not delay it.
 */
(function() {
    'use strict';
    const popped = new Set();

    function openTab(tab) {
        // A selection left in another tab slows tab switching in Chromium.
        const selection = window.getSelection && window.getSelection();
        if (selection) {
            selection.removeAllRanges();
        }
        const attributes = {
            model: tab.model,
            mode: tab.mode || (tab.res_id ? ['form', 'tree'] : ['form']),
            context: tab.context || {},
            domain: tab.domain || [],
        };
        if (tab.res_id) {
            attributes.res_id = tab.res_id;
        }
        if (tab.name) {
            attributes.name = tab.name;
        }
        if (tab.view_ids) {
            attributes.view_ids = tab.view_ids;
        }
        return CallCenter.popCard.open(attributes, tab.res_id && tab.values);
    }

    // Resolved after the next frame is painted.
    function painted() {
        const dfd = jQuery.Deferred();
        window.requestAnimationFrame(() => window.setTimeout(dfd.resolve));
        return dfd.promise();
    }

    CallCenter.screenPop = function(message) {
        if (!message.call || popped.has(message.call)) {
            return;
        }
        popped.add(message.call);
        // opened: all the pop's tabs are open (read by bench/screen_pop.py)
        const pop = CallCenter.lastPop = {
            call: message.call, at: Date.now(), sent_at: message.sent_at,
            opened: false};
        // Sao adds a tab once its view is loaded: open them one after the
        // other so that they keep their order (the customer first), each
        // once the previous one is painted.
        let opened = jQuery.when();
        for (const tab of message.open || []) {
            const next = () => openTab(tab).then(painted, painted);
            opened = opened.then(next, next);
        }
        return opened.always(() => { pop.opened = true; });
    };

    CallCenter.on('callcenter.screen_pop', CallCenter.screenPop);
}());
