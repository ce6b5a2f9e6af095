// Autosave for the questionnaire page (Features/Assessments/Details.cshtml).
// Every change is kept in localStorage at once and posted to ?handler=Autosave shortly after the person stops
// typing; what the server has not confirmed is sent again when the connection returns or the page is opened again.
// Each answer carries the version it was loaded at; the server refuses a change to an answer a colleague saved in
// the meantime and the page shows theirs, to keep or take. Without script the form's own buttons save and submit.
(function () {
    'use strict';

    var form = document.getElementById('answers');
    if (!form || !form.dataset.assessment || !window.fetch) {
        return;
    }

    var storageKey = 'supplierassure.autosave.' + form.dataset.assessment + '.' + (form.dataset.user || '');
    var statusEl = document.getElementById('autosave-status');
    var debounceMs = 700;
    var pending = loadPending();
    var inFlight = null;
    var timer = null;
    var retryDelay = 0;
    var closed = false;
    var progressNote = '';

    function storage() {
        try {
            return window.localStorage;
        } catch (e) {
            return null; // storage disabled: autosave still works, only without the copy on this device
        }
    }

    function loadPending() {
        var s = storage();
        if (!s) {
            return {};
        }

        try {
            return JSON.parse(s.getItem(storageKey) || '{}') || {};
        } catch (e) {
            s.removeItem(storageKey);
            return {};
        }
    }

    // Note: unsent answers stay in this browser's localStorage (keyed by assessment and user) until the server has
    // them; that is the point of the feature on a dropped connection. They are removed once saved or once the
    // questionnaire is no longer open, and never include evidence files.
    function persist() {
        var s = storage();
        if (!s) {
            return;
        }

        if (Object.keys(pending).length === 0) {
            s.removeItem(storageKey);
        } else {
            s.setItem(storageKey, JSON.stringify(pending));
        }
    }

    if (form.dataset.editable !== 'true') {
        var s = storage();
        if (s) {
            s.removeItem(storageKey);
        }

        return;
    }

    function fieldset(code) {
        return form.querySelector('fieldset[data-question="' + CSS.escape(code) + '"]');
    }

    function valueInputs(fs) {
        return Array.prototype.filter.call(fs.querySelectorAll('[name$=".Value"], [name$=".Choices"]'), function (el) {
            return !el.hasAttribute('data-base');
        });
    }

    function read(fs) {
        var inputs = valueInputs(fs);
        var value = null;
        if (inputs.length && inputs[0].type === 'radio') {
            inputs.forEach(function (r) { if (r.checked) { value = r.value; } });
        } else if (inputs.length && inputs[0].type === 'checkbox') {
            value = inputs.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }).join(',') || null;
        } else if (inputs.length) {
            value = inputs[0].value === '' ? null : inputs[0].value;
        }

        var reasonEl = fs.querySelector('[name$=".NotApplicableReason"]');
        var confirmEl = fs.querySelector('[data-confirm]');
        return {
            value: value,
            reason: reasonEl && reasonEl.value !== '' ? reasonEl.value : null,
            confirm: !!(confirmEl && confirmEl.checked)
        };
    }

    function write(fs, value, reason) {
        var inputs = valueInputs(fs);
        var chosen = (value || '').split(',');
        inputs.forEach(function (el) {
            if (el.type === 'radio') {
                el.checked = el.value === value;
            } else if (el.type === 'checkbox') {
                el.checked = chosen.indexOf(el.value) >= 0;
            } else {
                el.value = value || '';
            }
        });
        var reasonEl = fs.querySelector('[name$=".NotApplicableReason"]');
        if (reasonEl) {
            reasonEl.value = reason || '';
        }
    }

    function base(fs, name) {
        return fs.querySelector('[data-base="' + name + '"]');
    }

    function setBase(fs, version, value, reason) {
        base(fs, 'version').value = String(version);
        base(fs, 'value').value = value || '';
        base(fs, 'reason').value = reason || '';
    }

    function setStatus(state, text) {
        if (!statusEl) {
            return;
        }

        statusEl.hidden = false;
        statusEl.dataset.state = state;
        statusEl.textContent = text;
    }

    function showError(fs, message) {
        var p = fs.querySelector('.autosave-error');
        if (!message) {
            if (p) {
                p.remove();
            }

            return;
        }

        if (!p) {
            p = document.createElement('p');
            p.className = 'error autosave-error';
            p.setAttribute('role', 'alert');
            fs.querySelector('legend').insertAdjacentElement('afterend', p);
        }

        p.textContent = message;
    }

    function removeConflict(fs) {
        var box = fs.querySelector('.conflict');
        if (box) {
            box.remove();
        }
    }

    function showConflict(fs, c) {
        removeConflict(fs);
        var box = document.createElement('div');
        box.className = 'conflict';
        box.setAttribute('role', 'alert');
        box.setAttribute('data-testid', 'conflict-' + c.code);
        box.dataset.theirValue = c.value || '';
        box.dataset.theirReason = c.reason || '';
        box.dataset.theirVersion = String(c.version);
        var p = document.createElement('p');
        var who = document.createElement('strong');
        who.textContent = c.by;
        var theirs = document.createElement('q');
        theirs.setAttribute('data-testid', 'their-answer-' + c.code);
        theirs.textContent = c.text;
        p.append(who, ' saved a different answer on ' + c.at + ' while you were working: ', theirs, '. Your answer below is not saved yet.');
        var actions = document.createElement('p');
        actions.className = 'conflict-actions';
        var keep = document.createElement('button');
        keep.type = 'button';
        keep.className = 'secondary';
        keep.dataset.conflict = 'keep';
        keep.textContent = 'Keep mine';
        var take = document.createElement('button');
        take.type = 'button';
        take.className = 'secondary';
        take.dataset.conflict = 'take';
        take.textContent = 'Use theirs';
        actions.append(keep, ' ', take);
        box.append(p, actions);
        fs.querySelector('legend').insertAdjacentElement('afterend', box);
    }

    function settleCarried(fs, awaiting) {
        var carried = fs.querySelector('.carried');
        if (carried && !awaiting) {
            carried.replaceChildren();
            var done = document.createElement('p');
            done.textContent = 'Confirmed for this assessment.';
            carried.append(done);
            carried.classList.add('confirmed');
        }
    }

    function remember(fs) {
        var code = fs.dataset.question;
        var now = read(fs);
        var entry = pending[code] || {};
        entry.value = now.value;
        entry.reason = now.reason;
        entry.confirm = now.confirm;
        entry.rev = (entry.rev || 0) + 1;
        entry.invalid = false;
        if (entry.baseVersion === undefined) {
            entry.baseVersion = Number(base(fs, 'version').value || '0');
        }

        pending[code] = entry;
        persist();
    }

    function schedule(delay) {
        if (closed) {
            return;
        }

        window.clearTimeout(timer);
        timer = window.setTimeout(flush, delay);
    }

    function sendable() {
        return Object.keys(pending).filter(function (code) {
            var e = pending[code];
            return !e.conflict && !e.invalid && fieldset(code);
        });
    }

    function summarise() {
        var codes = Object.keys(pending);
        if (codes.some(function (c) { return pending[c].conflict || pending[c].invalid; })) {
            setStatus('attention', 'Some answers are not saved and need your attention: ' +
                codes.filter(function (c) { return pending[c].conflict || pending[c].invalid; }).join(', ') + '.');
        } else if (codes.length === 0) {
            // The status line is the page's only live region: section counts are spoken here, once per save that moved them.
            setStatus('saved', 'All changes saved.' + progressNote);
            progressNote = '';
        } else {
            setStatus('pending', 'Changes not saved yet…');
        }
    }

    function flush() {
        if (inFlight) {
            return inFlight;
        }

        var codes = sendable();
        if (codes.length === 0) {
            summarise();
            return Promise.resolve(true);
        }

        var token = form.querySelector('input[name="__RequestVerificationToken"]');
        var body = new URLSearchParams();
        body.append('__RequestVerificationToken', token ? token.value : '');
        var sent = {};
        codes.forEach(function (code, i) {
            var e = pending[code];
            sent[code] = e.rev;
            body.append('Answers[' + i + '].QuestionCode', code);
            body.append('Answers[' + i + '].Value', e.value || '');
            body.append('Answers[' + i + '].NotApplicableReason', e.reason || '');
            body.append('Answers[' + i + '].BaseVersion', String(e.baseVersion || 0));
            body.append('Answers[' + i + '].Confirm', e.confirm ? 'true' : 'false');
        });

        setStatus('saving', 'Saving…');
        inFlight = fetch(form.dataset.autosaveUrl, {
            method: 'POST',
            body: body,
            credentials: 'same-origin',
            headers: { 'Accept': 'application/json' }
        }).then(function (response) {
            var json = (response.headers.get('Content-Type') || '').indexOf('application/json') >= 0;
            if (response.status === 409 && json) {
                return response.json().then(function (r) {
                    closed = true;
                    pending = {};
                    persist();
                    setStatus('closed', (r.errors && r.errors[''] && r.errors[''][0]) || 'This questionnaire can no longer be changed.');
                    return false;
                });
            }

            if (response.status >= 500) {
                throw new Error('server ' + response.status);
            }

            if (!response.ok || !json || response.redirected) {
                // Signed out, the anti-forgery token expired, or access was withdrawn: retrying will not help.
                setStatus('stopped', 'Not saved: reload the page (you may need to sign in again). Your changes are kept on this device and sent when the page is open again.');
                return false;
            }

            return response.json().then(function (r) {
                retryDelay = 0;
                apply(r, sent);
                persist();
                var more = sendable().some(function (c) { return sent[c] === undefined || pending[c].rev !== sent[c]; });
                summarise();
                if (more) {
                    schedule(debounceMs);
                }

                return Object.keys(pending).length === 0;
            });
        }).catch(function () {
            retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, 30000);
            setStatus('retrying', 'Not saved — connection problem. Retrying in ' + Math.round(retryDelay / 1000) + ' s; your changes are kept on this device.');
            schedule(retryDelay);
            return 'network';
        }).finally(function () {
            inFlight = null;
        });
        return inFlight;
    }

    function progressWords(p) {
        return p.required === 0 ? 'nothing required now' : p.answered + ' of ' + p.required + ' required answered';
    }

    // Section counts come from the server after each save (the submission's own rule), never from counting here.
    function updateProgress(list) {
        if (!list || !list.length) {
            return;
        }

        var changed = [];
        var answered = 0;
        var required = 0;
        list.forEach(function (p) {
            answered += p.answered;
            required += p.required;
            var words = progressWords(p);
            var texts = document.querySelectorAll('[data-progress-text="' + CSS.escape(p.anchor) + '"]');
            if (texts.length && texts[0].textContent !== words) {
                changed.push(p.section + ': ' + words);
            }

            Array.prototype.forEach.call(texts, function (el) { el.textContent = words; });
            var bar = document.querySelector('progress[data-progress-bar="' + CSS.escape(p.anchor) + '"]');
            if (bar) {
                bar.max = Math.max(p.required, 1);
                bar.value = p.required === 0 ? 1 : p.answered;
            }

            var item = document.querySelector('.section-overview li[data-section="' + CSS.escape(p.anchor) + '"]');
            if (item) {
                item.classList.toggle('complete', p.answered === p.required);
            }
        });
        var total = document.querySelector('[data-progress-total]');
        if (total) {
            total.textContent = answered + ' of ' + required;
        }

        if (changed.length) {
            progressNote = ' ' + changed.join('; ') + '.';
        }
    }

    function apply(r, sent) {
        updateProgress(r.progress);
        (r.saved || []).forEach(function (a) {
            var fs = fieldset(a.code);
            if (!fs) {
                return;
            }

            setBase(fs, a.version, a.value, a.reason);
            showError(fs, null);
            removeConflict(fs);
            settleCarried(fs, a.awaitingConfirmation);
            var e = pending[a.code];
            if (e && e.rev === sent[a.code]) {
                delete pending[a.code];
            } else if (e) {
                e.baseVersion = a.version;
            }
        });
        (r.conflicts || []).forEach(function (c) {
            var fs = fieldset(c.code);
            var e = pending[c.code];
            if (!fs || !e) {
                return;
            }

            e.conflict = { value: c.value, reason: c.reason, version: c.version };
            showConflict(fs, c);
        });
        Object.keys(r.errors || {}).forEach(function (code) {
            var fs = code ? fieldset(code) : null;
            var e = pending[code];
            if (fs && e) {
                e.invalid = true;
                showError(fs, r.errors[code].join(' '));
            }
        });
    }

    function resolveConflict(fs, choice) {
        var code = fs.dataset.question;
        var box = fs.querySelector('.conflict');
        var theirs = {
            value: box.dataset.theirValue || null,
            reason: box.dataset.theirReason || null,
            version: Number(box.dataset.theirVersion || '0')
        };
        if (choice === 'take') {
            write(fs, theirs.value, theirs.reason);
            setBase(fs, theirs.version, theirs.value, theirs.reason);
            delete pending[code];
            removeConflict(fs);
            persist();
            summarise();
            return;
        }

        // Keep mine: the same change again, now based on the colleague's version, so it replaces theirs knowingly.
        setBase(fs, theirs.version, theirs.value, theirs.reason);
        remember(fs);
        var e = pending[code];
        e.baseVersion = theirs.version;
        delete e.conflict;
        removeConflict(fs);
        persist();
        flush();
    }

    form.addEventListener('click', function (event) {
        var button = event.target.closest('button[data-conflict]');
        if (button) {
            resolveConflict(button.closest('fieldset[data-question]'), button.dataset.conflict);
        }
    });

    function changed(event) {
        if (event.target.type === 'file' || event.target.hasAttribute('data-base')) {
            return;
        }

        var fs = event.target.closest('fieldset[data-question]');
        if (!fs) {
            return;
        }

        remember(fs);
        var e = pending[fs.dataset.question];
        if (e.conflict) {
            summarise();
            return;
        }

        showError(fs, null);
        setStatus('pending', 'Changes not saved yet…');
        schedule(debounceMs);
    }

    form.addEventListener('input', changed);
    form.addEventListener('change', changed);

    // The buttons post the whole form, every answer with the base it was loaded at (kept current by the saves above).
    // The post is not held back for autosave: a file chosen for upload must go with the click. If an autosave is
    // still under way, the post's answer equals what it saves and the server takes it as no conflict.
    form.addEventListener('submit', function () {
        window.clearTimeout(timer);
        closed = true;
        if (navigator.onLine !== false) {
            // The post carries every answer; the copy here is kept only when the post cannot get through either.
            pending = {};
            persist();
        }
    });

    window.addEventListener('online', function () {
        retryDelay = 0;
        schedule(0);
    });

    // Server-rendered conflicts (from a whole-form save) get the same two buttons.
    Array.prototype.forEach.call(form.querySelectorAll('.conflict .conflict-actions'), function (p) {
        p.hidden = false;
        var nojs = p.parentElement.querySelector('.conflict-nojs');
        if (nojs) {
            nojs.hidden = true;
        }
    });

    // Changes left from an earlier visit (a closed tab, a lost connection): show them again and send them.
    var restored = 0;
    Object.keys(pending).forEach(function (code) {
        var fs = fieldset(code);
        var e = pending[code];
        if (!fs) {
            delete pending[code];
            return;
        }

        var now = read(fs);
        if (now.value === e.value && now.reason === e.reason && !e.confirm && Number(base(fs, 'version').value) === e.baseVersion) {
            delete pending[code]; // the page already shows it as saved
            return;
        }

        write(fs, e.value, e.reason);
        var confirmEl = fs.querySelector('[data-confirm]');
        if (confirmEl) {
            confirmEl.checked = !!e.confirm;
        }

        delete e.conflict;
        e.invalid = false;
        restored++;
    });
    persist();
    if (restored > 0) {
        setStatus('pending', 'Sending ' + restored + ' change(s) kept on this device from your last visit…');
        schedule(0);
    } else {
        setStatus('saved', 'Changes are saved automatically as you answer.');
    }
}());
