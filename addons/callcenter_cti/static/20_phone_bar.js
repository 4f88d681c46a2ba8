/* Call center CTI: the agent's phone bar, directory and click-to-dial.
 *
 * For users who are agents, a bar fixed at the bottom of the page shows the
 * phone state (with the time spent in it), not-ready reasons, queue
 * login/logout, a dial box, hang up, transfer, consult, pickup, and during
 * a call hold / resume and conference (an agent picked in the directory,
 * as for transfer and pickup). Every
 * button calls a method of callcenter.agent that queues a phone command for
 * the bridge; the bar changes only when the state arrives over the bus
 * (callcenter.agent_state), after one read at page load (phone_bar).
 *
 * The directory lists the agents (directory RPC once when opened), kept live
 * by the state messages of the channel callcenter.agent_states.
 *
 * Click-to-dial: sao renders phone numbers as tel: values (party's contact
 * mechanisms have url = "tel:<number>": a link in forms and editable rows, a
 * text cell of class column-url in lists). One capture-phase click handler
 * on the document catches both before sao opens the link or edits the row,
 * and asks the server to dial the number. Failures of any command come back
 * as callcenter.command_failed and show in the bar.
 */
(function() {
    'use strict';
    const DIRECTORY = 'callcenter.agent_states';
    const bar = CallCenter.phoneBar = {
        agent: null, labels: {}, states: {}, agents: new Map(), el: null,
    };

    function rpc(method, params) {
        return Sao.rpc({
            method: `model.callcenter.agent.${method}`,
            params: params.concat([{}]),
        }, Sao.Session.current_session);
    }

    function command(method, ...args) {
        if (!bar.agent) {
            return jQuery.Deferred().reject();
        }
        return rpc(method, [[bar.agent.id], ...args]);
    }

    function label(key) {
        return bar.labels[key] || key;
    }

    function parseSince(since) {
        if (!since) {
            return null;
        }
        return Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(since) ? since : since + 'Z');
    }

    function elapsed(since) {
        const start = parseSince(since);
        if (!start) {
            return '';
        }
        const seconds = Math.max(0, Math.floor((Date.now() - start) / 1000));
        const minutes = Math.floor(seconds / 60);
        const pad = n => String(n).padStart(2, '0');
        return minutes >= 60 ?
            `${Math.floor(minutes / 60)}:${pad(minutes % 60)}:${pad(seconds % 60)}` :
            `${pad(minutes)}:${pad(seconds % 60)}`;
    }

    function button(action, text, handler) {
        return jQuery('<button/>', {
            type: 'button', 'class': 'btn btn-default btn-sm',
            'data-action': action, text: text,
        }).on('click', handler);
    }

    function build() {
        const el = jQuery('<div/>', {id: 'cc-phone-bar', role: 'toolbar'});
        el.append(jQuery('<span/>', {'class': 'cc-extension'}));
        el.append(jQuery('<span/>', {'class': 'cc-state'}));
        el.append(jQuery('<span/>', {'class': 'cc-timer'}));
        el.append(button('ready', label('ready'), () => command('set_ready')));
        const reasons = jQuery('<select/>', {'class': 'cc-reason form-control input-sm'});
        for (const reason of bar.agent.reasons) {
            reasons.append(jQuery('<option/>', {value: reason, text: reason}));
        }
        el.append(reasons);
        el.append(button('not-ready', label('not_ready'),
            () => command('set_not_ready', reasons.val())));
        el.append(button('queue-login', label('queue_login'),
            () => command('queue_login')));
        el.append(button('queue-logout', label('queue_logout'),
            () => command('queue_logout')));
        const number = jQuery('<input/>', {
            'class': 'cc-number form-control input-sm', type: 'tel',
            placeholder: label('number'),
        }).on('keydown', event => {
            if (event.key === 'Enter') {
                dial(number.val());
            }
        });
        el.append(number);
        el.append(button('dial', label('dial'), () => dial(number.val())));
        el.append(button('hangup', label('hang_up'), () => command('hang_up')));
        el.append(button('transfer', label('transfer'),
            () => openDirectory('transfer')));
        el.append(button('consult', label('consult'),
            () => openDirectory('consult')));
        el.append(button('pickup', label('pickup'),
            () => openDirectory('pickup')));
        el.append(button('hold', label('hold'), () => command('hold')));
        el.append(button('resume', label('resume'), () => command('resume')));
        el.append(button('conference', label('conference'),
            () => openDirectory('conference')));
        el.append(button('survey', label('survey'), () => command('survey')));
        el.append(jQuery('<span/>', {'class': 'cc-alert', role: 'alert'}));
        jQuery('body').addClass('cc-has-phone-bar').append(el);
        bar.el = el;
        render();
        window.setInterval(renderTimer, 1000);
    }

    function render() {
        const agent = bar.agent;
        if (!bar.el || !agent) {
            return;
        }
        bar.el.attr('data-state', agent.state || 'logged_out');
        bar.el.find('.cc-extension').text(agent.extension);
        let text = bar.states[agent.state] || agent.state;
        if (agent.state === 'not_ready' && agent.reason) {
            text += ` (${agent.reason})`;
        }
        bar.el.find('.cc-state').text(text);
        // Hold and conference only make sense during a call.
        bar.el.find('[data-action=hold]').toggle(agent.state === 'on_call');
        bar.el.find('[data-action=resume]').toggle(agent.state === 'on_hold');
        bar.el.find('[data-action=conference]').toggle(
            ['on_call', 'on_hold'].includes(agent.state));
        // The survey takes the caller of a call in progress.
        bar.el.find('[data-action=survey]').toggle(agent.state === 'on_call');
        renderTimer();
    }

    function renderTimer() {
        if (bar.el && bar.agent) {
            bar.el.find('.cc-timer').text(elapsed(bar.agent.since));
        }
    }

    function alert(text, kind) {
        if (!bar.el) {
            return;
        }
        const el = bar.el.find('.cc-alert');
        el.text(text).attr('data-kind', kind || 'info');
        window.clearTimeout(bar.alertTimer);
        bar.alertTimer = window.setTimeout(() => el.text(''), 15000);
    }

    function dial(number) {
        number = (number || '').trim();
        if (!number || !bar.agent) {
            return;
        }
        alert(`${label('dialling')} ${number}`);
        command('dial', number);
    }

    // state over the bus ----------------------------------------------------
    // The bus hands over the messages of one commit in any order (wrap-up
    // then ready of one batch): keep the state of the highest seq, the
    // server's [microseconds of since, tie-break] of each change.
    function newer(message, agent) {
        const [at, tie] = message.seq || [];
        const [knownAt, knownTie] = agent.seq || [];
        if (at === undefined || knownAt === undefined) {
            return true;
        }
        return at > knownAt || (at === knownAt && tie > knownTie);
    }

    function update(agent, message) {
        if (!newer(message, agent)) {
            return false;
        }
        Object.assign(agent, {
            state: message.state, reason: message.reason, since: message.since,
            seq: message.seq,
        });
        return true;
    }

    // Own state: the agent's user channel.
    function onState(message) {
        if (bar.agent && message.agent === bar.agent.id &&
                update(bar.agent, message)) {
            render();
        }
    }

    // Everyone's state: the directory channel.
    function onDirectoryState(message) {
        if (!CallCenter.isFresh(message)) {
            return;
        }
        CallCenter.seen.add(message.message_id);
        const known = bar.agents.get(message.agent);
        if (known && update(known, message)) {
            renderDirectory();
        }
    }

    function onFailure(message) {
        alert(`${label('failed')}: ${message.action_string || message.action}` +
            ` — ${message.error}`, 'error');
    }

    CallCenter.on('callcenter.agent_state', onState);
    CallCenter.on('callcenter.command_failed', onFailure);
    // "Call Back" on a missed call or voicemail asks this page to dial.
    CallCenter.on('callcenter.dial', message => dial(message.number));

    // directory -------------------------------------------------------------
    function openDirectory(purpose) {
        closeDirectory();
        const dialog = jQuery('<div/>', {id: 'cc-directory', role: 'dialog',
            'data-purpose': purpose});
        const header = jQuery('<div/>', {'class': 'cc-directory-header'});
        header.append(jQuery('<strong/>', {text: label(purpose)}));
        const search = jQuery('<input/>', {
            'class': 'cc-search form-control input-sm', type: 'search',
            placeholder: label('search'),
        }).on('input', renderDirectory);
        const team = jQuery('<select/>', {'class': 'cc-team form-control input-sm'})
            .on('change', renderDirectory);
        const queue = jQuery('<select/>', {'class': 'cc-queue form-control input-sm'})
            .on('change', renderDirectory);
        header.append(search, team, queue,
            button('close', label('close'), closeDirectory));
        dialog.append(header, jQuery('<table/>', {'class': 'table table-condensed'})
            .append(jQuery('<tbody/>')));
        jQuery('body').append(dialog);
        rpc('directory', []).then(agents => {
            bar.agents = new Map(agents.map(a => [a.id, a]));
            fillFilter(team, agents, 'teams', label('all_teams'));
            fillFilter(queue, agents, 'queues', label('all_queues'));
            renderDirectory();
        });
        search.focus();
    }

    function fillFilter(select, agents, key, all) {
        const names = new Map();
        for (const agent of agents) {
            for (const item of agent[key]) {
                names.set(item.id, item.name);
            }
        }
        select.append(jQuery('<option/>', {value: '', text: all}));
        for (const [id, name] of names) {
            select.append(jQuery('<option/>', {value: id, text: name}));
        }
    }

    function closeDirectory() {
        jQuery('#cc-directory').remove();
    }

    function visible(agent, text, team, queue) {
        const haystack = `${agent.name} ${agent.extension}`.toLowerCase();
        return (!text || haystack.includes(text)) &&
            (!team || agent.teams.some(t => t.id === team)) &&
            (!queue || agent.queues.some(q => q.id === queue));
    }

    function renderDirectory() {
        const dialog = jQuery('#cc-directory');
        if (!dialog.length) {
            return;
        }
        const text = (dialog.find('.cc-search').val() || '').toLowerCase().trim();
        const team = Number(dialog.find('.cc-team').val()) || null;
        const queue = Number(dialog.find('.cc-queue').val()) || null;
        const body = dialog.find('tbody').empty();
        for (const agent of bar.agents.values()) {
            if (!visible(agent, text, team, queue) ||
                    (bar.agent && agent.id === bar.agent.id)) {
                continue;
            }
            let state = bar.states[agent.state] || agent.state;
            if (agent.state === 'not_ready' && agent.reason) {
                state += ` (${agent.reason})`;
            }
            const row = jQuery('<tr/>', {'data-agent': agent.id,
                'data-state': agent.state});
            row.append(jQuery('<td/>', {text: agent.name}),
                jQuery('<td/>', {text: agent.extension}),
                jQuery('<td/>', {'class': 'cc-agent-state', text: state}),
                jQuery('<td/>', {text: elapsed(agent.since)}));
            row.on('click', () => choose(dialog.attr('data-purpose'), agent));
            body.append(row);
        }
    }

    function choose(purpose, agent) {
        closeDirectory();
        if (purpose === 'pickup') {
            command('pickup', agent.id);
        } else if (purpose === 'conference') {
            command('conference', agent.id);
        } else {
            command('transfer', agent.id,
                purpose === 'consult' ? 'attended' : 'blind');
        }
        alert(`${label(purpose)} → ${agent.name} (${agent.extension})`);
    }

    // click-to-dial ---------------------------------------------------------
    function telNumber(target) {
        const link = target.closest && target.closest('a[href^="tel:"]');
        if (link) {
            return decodeURIComponent(link.getAttribute('href').slice(4));
        }
        const cell = target.closest && target.closest('.column-url');
        const text = cell ? cell.textContent.trim() : '';
        return text.startsWith('tel:') ? text.slice(4) : null;
    }

    document.addEventListener('click', event => {
        const number = bar.agent && telNumber(event.target);
        if (!number) {
            return;
        }
        event.preventDefault();
        event.stopPropagation();
        dial(number);
    }, true);

    // start after the login -------------------------------------------------
    function start() {
        if (bar.started) {
            return;
        }
        bar.started = true;
        Sao.Bus.register(DIRECTORY, onDirectoryState);
        rpc('phone_bar', []).then(agent => {
            if (!agent) {
                return;
            }
            bar.agent = agent;
            bar.labels = agent.labels;
            bar.states = agent.states;
            build();
        });
    }

    const listen = Sao.Bus.listen;
    Sao.Bus.listen = function(...args) {
        if (Sao.Session.current_session && Sao.Session.current_session.user_id) {
            start();
        }
        return listen.apply(this, args);
    };
}());
