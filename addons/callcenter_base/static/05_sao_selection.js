/* A fix for sao 8.0's selection widget.
 *
 * When a form is displayed again, sao rebuilds a selection's options (the
 * first one is then shown) and sets the record's value only in a later turn
 * of the event loop. A button clicked in between (e.g. Submit right after
 * another field was filled) saves the form and reads the widget: the first
 * option was stored instead of the record's value — a new ticket became
 * priority Low instead of Normal. Show the record's value as soon as the
 * options are rebuilt.
 */
(function() {
    'use strict';
    const Selection = Sao.View.Form.Selection;
    const setSelection = Selection.prototype.set_selection;

    Selection.prototype.set_selection = function(selection, help) {
        setSelection.call(this, selection, help);
        if (!this.record || !this.field) {
            return;
        }
        const value = JSON.stringify(this.field.get(this.record));
        const listed = this.select.find('option').filter(
            (index, option) => option.value === value);
        if (listed.length) {
            this.select.val(value);
        }
    };
}());
