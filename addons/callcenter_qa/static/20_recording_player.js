/* Call center QA: recordings play in the page (QA-04, QA-06).
 *
 * A binary field shown with widget="document" whose file name is a sound
 * (the call recordings the PBX writes are .wav) becomes an HTML5 <audio>
 * player with seek, fed from the record's data through a blob URL,
 * instead of the sandboxed frame sao uses for other documents.
 */
(function() {
    'use strict';
    Object.assign(Sao.common.mimetypes, {
        'wav': 'audio/wav',
        'mp3': 'audio/mpeg',
        'oga': 'audio/ogg',
        'opus': 'audio/ogg',
    });

    const create = Sao.View.Form.Document.prototype._create_content;
    Sao.View.Form.Document.prototype._create_content = function(
            mimetype, url) {
        if (!mimetype || !mimetype.startsWith('audio/')) {
            return create.call(this, mimetype, url);
        }
        // The blob URL is revoked by the next display, not on load:
        // seeking reads it again.
        return jQuery('<audio/>', {
            'class': 'center-block callcenter-recording',
            'controls': true,
            'preload': 'auto',
            'src': url,
        }).css('width', '100%');
    };
}());
