// Follow-up questions on the questionnaire page (Features/Assessments/Details.cshtml).
// The server renders a follow-up question with data-show-when (its trigger question's code) and data-show-any-of (the
// trigger answers that call for it), hidden when the saved answer does not. Here the follow-ups appear and disappear
// as soon as the trigger answer changes, and #followup-status (a polite live region) says which ones. Hiding removes
// nothing: the inputs stay in the form with their answer, which stays saved and is shown again if the trigger answer
// changes back. Section counts are the server's, refreshed by answer-autosave.js after the change is saved.
(function () {
    'use strict';

    var form = document.getElementById('answers');
    if (!form) {
        return;
    }

    var dependents = Array.prototype.slice.call(form.querySelectorAll('fieldset[data-question][data-show-when]'));
    if (dependents.length === 0) {
        return;
    }

    var live = document.getElementById('followup-status');

    function fieldset(code) {
        return form.querySelector('fieldset[data-question="' + CSS.escape(code) + '"]');
    }

    // The trigger's answer as the server would store it: a radio's value, ticked boxes joined in page order, or the
    // field's text trimmed (lower-cased except for free text, as the server normalises it).
    function answerOf(fs) {
        var inputs = Array.prototype.filter.call(fs.querySelectorAll('[name$=".Value"], [name$=".Choices"]'), function (el) {
            return !el.hasAttribute('data-base');
        });
        if (inputs.length === 0) {
            return null;
        }

        var value = null;
        if (inputs[0].type === 'radio') {
            inputs.forEach(function (r) { if (r.checked) { value = r.value; } });
        } else if (inputs[0].type === 'checkbox') {
            value = inputs.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }).join(',');
        } else {
            value = inputs[0].value;
        }

        value = (value || '').trim();
        if (value === '') {
            return null;
        }

        return inputs[0].tagName === 'TEXTAREA' ? value : value.toLowerCase();
    }

    function wanted(dependent) {
        var trigger = fieldset(dependent.dataset.showWhen);
        if (!trigger) {
            return null; // the trigger is not on this page: keep what the server decided
        }

        var value = answerOf(trigger);
        var values = (dependent.dataset.showAnyOf || '').split(',').map(function (v) { return v.trim(); });
        return value !== null && values.indexOf(value) >= 0;
    }

    function words(codes, shown) {
        var count = codes.length === 1 ? '1 follow-up question' : codes.length + ' follow-up questions';
        return shown
            ? count + ' now asked, further down: ' + codes.join(', ') + '.'
            : count + ' no longer asked and now hidden: ' + codes.join(', ') + '. Any answer already given there stays saved.';
    }

    // Brings every follow-up in line with its trigger's current answer; returns the codes shown and hidden.
    function sync() {
        var shown = [];
        var hidden = [];
        dependents.forEach(function (dependent) {
            var show = wanted(dependent);
            // A follow-up carrying a message (an error, a colleague's answer) stays in view, as the server renders it.
            if (show === null || (!show && dependent.querySelector('.error, .conflict'))) {
                return;
            }

            if (show && dependent.hidden) {
                dependent.hidden = false;
                shown.push(dependent.dataset.question);
            } else if (!show && !dependent.hidden) {
                dependent.hidden = true;
                hidden.push(dependent.dataset.question);
            }
        });
        return { shown: shown, hidden: hidden };
    }

    function announce(change) {
        if (!live) {
            return;
        }

        var parts = [];
        if (change.shown.length) {
            parts.push(words(change.shown, true));
        }

        if (change.hidden.length) {
            parts.push(words(change.hidden, false));
        }

        if (parts.length) {
            live.textContent = parts.join(' ');
        }
    }

    function changed(event) {
        var fs = event.target.closest && event.target.closest('fieldset[data-question]');
        if (!fs || event.target.type === 'file' || event.target.hasAttribute('data-base')) {
            return;
        }

        var code = fs.dataset.question;
        if (dependents.some(function (d) { return d.dataset.showWhen === code; })) {
            announce(sync());
        }
    }

    form.addEventListener('change', changed);
    form.addEventListener('input', changed);

    // "Use theirs" on a colleague's conflicting answer writes the trigger's value without a change event.
    form.addEventListener('click', function (event) {
        if (event.target.closest && event.target.closest('button[data-conflict]')) {
            announce(sync());
        }
    });

    // Answers restored by answer-autosave.js from an earlier visit are already in the fields: follow them quietly.
    sync();
}());
