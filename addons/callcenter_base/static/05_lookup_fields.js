/* Search boxes are not edits (see lookup_field.py).
 *
 * sao counts every field typed in, or filled by its on_change, as a change
 * of the record, and asks "save?" when its tab is closed: an agent who
 * searched the knowledge base in the call panel was asked to save a call
 * they had not changed. Fields the server marks ``lookup`` are left out;
 * a note typed beside them still makes the record modified.
 */
(function() {
    'use strict';

    function isLookup(model, name) {
        const field = model && model.fields[name];
        return Boolean(field && field.description.lookup);
    }

    const recordModified = Object.getOwnPropertyDescriptor(
        Sao.Record.prototype, 'modified');
    Object.defineProperty(Sao.Record.prototype, 'modified', {
        get() {
            const edited = Object.keys(this.modified_fields).some(
                name => !isLookup(this.model, name));
            return edited && recordModified.get.call(this);
        },
        configurable: true,
    });

    Object.defineProperty(Sao.View.Form.prototype, 'modified', {
        get() {
            const model = this.screen && this.screen.model;
            return Object.entries(this.widgets).some(
                ([name, widgets]) => !isLookup(model, name)
                && widgets.some(widget => widget.modified));
        },
        configurable: true,
    });
}());
