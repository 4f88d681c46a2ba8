/* Call center: the namespace the modules' scripts share in sao.
 *
 * CallCenter.on(type, fn) subscribes to bus messages of that type sent on
 * the agent's own channel (user:<id>). Each message is handled once: a
 * message seen before (same message_id) or sent before this page was loaded
 * (the server replays up to five minutes of messages to a new page) is
 * dropped.
 */
(function() {
    'use strict';
    const CLOCK_SKEW = 2;  // seconds allowed between server and browser

    const CallCenter = window.CallCenter = {
        loadedAt: Date.now() / 1000,
        clockSkew: CLOCK_SKEW,
        handlers: new Map(),
        seen: new Set(),
        channel: null,

        on(type, handler) {
            if (!this.handlers.has(type)) {
                this.handlers.set(type, []);
            }
            this.handlers.get(type).push(handler);
        },

        isFresh(message) {
            if (!message || !message.type) {
                return false;
            }
            if (message.message_id && this.seen.has(message.message_id)) {
                return false;
            }
            if (message.sent_at && message.sent_at < this.loadedAt - CLOCK_SKEW) {
                return false;
            }
            return true;
        },

        dispatch(message) {
            if (!this.isFresh(message)) {
                return;
            }
            if (message.message_id) {
                this.seen.add(message.message_id);
            }
            for (const handler of this.handlers.get(message.type) || []) {
                try {
                    handler(message);
                } catch (error) {
                    console.error('callcenter handler failed', message.type, error);
                }
            }
        },
    };

    function subscribe() {
        const session = Sao.Session.current_session;
        if (!session || !session.user_id) {
            return;
        }
        const channel = `user:${session.user_id}`;
        const actions = Sao.Bus.channel_actions[channel] || [];
        if (!actions.includes(dispatchMessage)) {
            Sao.Bus.register(channel, dispatchMessage);
        }
        CallCenter.channel = channel;
    }

    function dispatchMessage(message) {
        CallCenter.dispatch(message);
    }

    // sao 8.0 has no list column for datetime and timestamp fields: a list
    // showing one fails with "ColumnFactory is not a constructor".
    if (Sao.View.Tree && !Sao.View.TreeXMLViewParser.WIDGETS.datetime) {
        Sao.View.Tree.DateTimeColumn = Sao.class_(Sao.View.Tree.CharColumn, {
            class_: 'column-datetime',
            get_textual_value: function(record) {
                const value = this.field.get_client(record);
                if (!value) {
                    return '';
                }
                const format = this.field.date_format(record) + ' ' +
                    this.field.time_format(record);
                return Sao.common.format_datetime(format, value);
            },
        });
        Sao.View.TreeXMLViewParser.WIDGETS.datetime =
            Sao.View.Tree.DateTimeColumn;
        Sao.View.TreeXMLViewParser.WIDGETS.timestamp =
            Sao.View.Tree.DateTimeColumn;
    }

    // sao starts listening to the bus right after the login; subscribe then.
    const listen = Sao.Bus.listen;
    Sao.Bus.listen = function(...args) {
        subscribe();
        return listen.apply(this, args);
    };
}());
