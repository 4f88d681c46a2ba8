/* Call center CTI: the customer card of a screen pop, shown fast (CTI-03).
 *
 * CallCenter.popCard.open(attributes, values) opens the customer's tab as
 * Sao.Tab.create does, the record filled with `values` (the card's fields
 * as sao would read them, sent by the server in the pop) before its first
 * display, so the name shows without a round trip; the sub-lists, given as
 * ids, read their rows afterwards.
 */
(function() {
    'use strict';
    // 'model,id' → values of the record a pop tab is opening.
    const preloaded = new Map();

    // As sao's, with the record filled from the pop before the display.
    const load = Sao.Screen.prototype.load;
    Sao.Screen.prototype.load = function(ids, ...args) {
        const key = ids && ids.length === 1 && `${this.model_name},${ids[0]}`;
        const values = key && preloaded.get(key);
        if (values && !this.group.get(ids[0])) {
            preloaded.delete(key);
            this.group.load(ids, false, -1, {[ids[0]]: values});
        }
        return load.call(this, ids, ...args);
    };

    CallCenter.popCard = {
        open(attributes, values) {
            if (!values) {
                return Sao.Tab.create(attributes);
            }
            const key = `${attributes.model},${attributes.res_id}`;
            preloaded.set(key, values);
            // Unused when the customer's tab is already open.
            return Sao.Tab.create(attributes).always(
                () => preloaded.delete(key));
        },
    };
}());
