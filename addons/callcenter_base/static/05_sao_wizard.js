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
