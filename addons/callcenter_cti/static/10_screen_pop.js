/* Call center CTI: the screen pop.
 *
 * The server publishes {type: 'callcenter.screen_pop', call, event, number,
 * parties, ...} on the agent's own channel when a call rings or is answered
 * at the agent's phone. One pop per call: the ring pops, the answer of the
 * same call does not pop again.
 *
 * What opens is decided by the server when the message carries `open`
 * (a list of {model, res_id, domain, context, mode, name, view_ids}: the
 * customer, the call panel, the new ticket…, in that order); otherwise from
 * the matched customers: one → their form; none → a new customer form
 * prefilled with the number; several → a list to choose from.
 */
(function() {
    'use strict';
    const popped = new Set();

    function tabsFor(message) {
        if (Array.isArray(message.open) && message.open.length) {
            return message.open;
        }
        const parties = message.parties || [];
        if (parties.length === 1) {
            return [{model: 'party.party', res_id: parties[0]}];
        }
        if (parties.length > 1) {
            return [{
                model: 'party.party', mode: ['tree', 'form'],
                domain: [['id', 'in', parties]],
                name: Sao.i18n.gettext('Customers') + ' ' + message.number,
            }];
        }
        // No default address: party's phone formatting reads the country of
        // the party's addresses, which a blank default address lacks.
        return [{
            model: 'party.party', mode: ['form'],
            context: {
                default_addresses: [],
                default_contact_mechanisms: [{
                    type: message.number_type || 'phone',
                    value: message.number,
                }],
            },
        }];
    }

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
        return Sao.Tab.create(attributes);
    }

    CallCenter.screenPop = function(message) {
        if (!message.call || popped.has(message.call)) {
            return;
        }
        popped.add(message.call);
        CallCenter.lastPop = {
            call: message.call, at: Date.now(), sent_at: message.sent_at};
        // Sao adds a tab once its view is loaded: open them one after the
        // other so that they keep their order (the customer first).
        let opened = jQuery.when();
        for (const tab of tabsFor(message)) {
            const next = () => openTab(tab);
            opened = opened.then(next, next);
        }
        return opened;
    };

    CallCenter.on('callcenter.screen_pop', CallCenter.screenPop);
}());
