/* A fix for sao 8.0's wizards.
 *
 * When a wizard moves to its next step, sao shows the step's view and its
 * buttons, then fills the record in later turns of the event loop; until
 * that is done, a pressed button is dropped without a word (process()
 * returns at once while it is busy). A team leader who clicked Import as
 * soon as the columns showed saw nothing happen. Press the button once the
 * step is filled instead. A second press during the server call (a double
 * click) is still dropped: the step was already answered.
 */
(function() {
    'use strict';
    const Wizard = Sao.Wizard;
    const respond = Wizard.prototype.response;
    const RETRY_MS = 50;

    Wizard.prototype.response = function(definition) {
        if (this.__processing && this.__waiting_response) {
            window.setTimeout(() => this.response(definition), RETRY_MS);
            return;
        }
        return respond.call(this, definition);
    };
}());

/* The same gap for typing: what is typed in a step's fields before the
 * step is filled is overwritten by its defaults (an agent who typed a
 * search into Search Knowledge Base as soon as it showed lost the text).
 * The step's form is inert (and marked aria-disabled) from its display
 * until its values are set: sao creates the step's record, sets its
 * defaults, then its values (Record.set), the last step of the fill.
 */
(function() {
    'use strict';
    const Wizard = Sao.Wizard;
    const update = Wizard.prototype.update;

    function onceCalled(object, name, after) {
        const original = object[name];
        object[name] = function(...args) {
            object[name] = original;
            const result = original.apply(this, args);
            after(result);
            return result;
        };
    }

    Wizard.prototype.update = function(view, buttons) {
        const result = update.call(this, view, buttons);
        const form = this.widget;
        const filled = () => form.removeAttr('inert aria-disabled');
        form.attr({'inert': '', 'aria-disabled': 'true'});
        onceCalled(this.screen, 'new_', prm => jQuery.when(prm).then(
            record => record ? onceCalled(record, 'set', filled) : filled(),
            filled));
        return result;
    };
}());
