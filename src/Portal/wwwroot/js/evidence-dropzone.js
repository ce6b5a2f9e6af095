// Drop zones for evidence files: every <input type="file" data-dropzone> gets a box that takes dragged files.
// The native input stays where it was and keeps working (keyboard, click, screen readers); the box only adds a
// second way in. Two modes:
//  - with data-upload-url: each file chosen or dropped is sent at once with XMLHttpRequest (the page's anti-forgery
//    token in the RequestVerificationToken header), with a <progress> per file, the server's message next to a
//    refused file, a polite live announcement when each one finishes, and the stored file added to the list named by
//    data-evidence-list (an id, or the data-testid of a ul.evidence-list; created before the box when the question had
//    no evidence yet). Nothing is left in the input,
//    so the page's own Save button does not send the files a second time.
//  - without it: dropped files are put into the input, and the form sends them on its own submit as before.
// With data-max-bytes (the server's own per-file limit, data-max-size in words) a larger file is refused here before
// any byte is sent, in either mode, with the reason next to it; the server's check stays the one that counts.
// Without script none of this runs and the form post uploads the files as it always did.
(function () {
    'use strict';

    var tokenHeader = 'RequestVerificationToken';

    // Files queued or on their way, over every box of the page, and a form post waiting for them. Saving the page
    // navigates away, which would cut an upload short (and the input was emptied when it started), so a submit made
    // while files are still going out is held and made again, with the same button, once the last one has finished.
    var active = 0;
    var held = null;
    var waiting = [];

    function settled() {
        if (active > 0 || !held) {
            return;
        }

        var post = held;
        held = null;
        if (post.submitter && post.submitter.form === post.form) {
            post.form.requestSubmit(post.submitter);
        } else {
            post.form.requestSubmit();
        }
    }

    // Capturing on the document runs before the form's own submit listeners (autosave), which then see only the post
    // that really goes.
    document.addEventListener('submit', function (event) {
        var form = event.target;
        if (active === 0 || !form.querySelector('input[type="file"][data-upload-url]')) {
            return;
        }

        event.preventDefault();
        event.stopPropagation();
        held = { form: form, submitter: event.submitter || null };
        waiting.forEach(function (tell) { tell(); });
    }, true);

    function el(tag, className, text) {
        var e = document.createElement(tag);
        if (className) {
            e.className = className;
        }

        if (text !== undefined) {
            e.textContent = text;
        }

        return e;
    }

    function size(bytes) {
        return bytes < 1024 * 1024 ? (bytes / 1024).toFixed(1) + ' KB' : (bytes / (1024 * 1024)).toFixed(1) + ' MB';
    }

    function hasFiles(event) {
        var types = event.dataTransfer && event.dataTransfer.types;
        return !!types && Array.prototype.indexOf.call(types, 'Files') >= 0;
    }

    // Every message of a problem-details answer, field by field, else its title.
    function problemText(status, body) {
        var messages = [];
        if (body && body.errors) {
            Object.keys(body.errors).forEach(function (field) {
                (body.errors[field] || []).forEach(function (m) { messages.push(m); });
            });
        }

        if (messages.length === 0 && body && body.title) {
            messages.push(body.title);
        }

        return messages.length > 0 ? messages.join(' ') : 'The server refused the file (HTTP ' + status + ').';
    }

    function enhance(input) {
        if (input.getAttribute('data-dropzone-ready') === 'true') {
            return;
        }

        input.setAttribute('data-dropzone-ready', 'true');
        var uploadUrl = input.getAttribute('data-upload-url');
        var name = input.getAttribute('data-dropzone') || input.name;
        var maxBytes = Number(input.getAttribute('data-max-bytes') || '0');
        var maxSize = input.getAttribute('data-max-size') || size(maxBytes);
        if (uploadUrl) {
            input.multiple = true;
        }

        // The box holds the input's label (or the input itself), a hint, the per-file list and the live region.
        var anchor = input.closest('label') || input;
        var zone = el('div', 'dropzone');
        zone.setAttribute('data-testid', 'dropzone-' + name);
        anchor.parentNode.insertBefore(zone, anchor);
        zone.appendChild(anchor);
        zone.appendChild(el('p', 'dropzone-hint', input.multiple
            ? 'You can also drag files from your computer and drop them in this box.'
            : 'You can also drag a file from your computer and drop it in this box.'));
        var items = el('ul', 'dropzone-files');
        items.hidden = true;
        zone.appendChild(items);
        var live = el('p', 'visually-hidden');
        live.setAttribute('role', 'status');
        live.setAttribute('aria-live', 'polite');
        live.setAttribute('data-testid', 'dropzone-status-' + name);
        zone.appendChild(live);

        function announce(message) {
            live.textContent = message;
        }

        function item(file) {
            var li = el('li', 'dropzone-file');
            li.setAttribute('data-testid', 'upload-item');
            li.setAttribute('data-state', 'uploading');
            li.appendChild(el('span', 'dropzone-name', file.name + ' (' + size(file.size) + ')'));
            var progress = el('progress');
            progress.max = 100;
            progress.value = 0;
            progress.setAttribute('aria-label', 'Upload of ' + file.name);
            li.appendChild(progress);
            var state = el('span', 'dropzone-state', 'Waiting…');
            state.setAttribute('data-testid', 'upload-state');
            li.appendChild(state);
            items.appendChild(li);
            items.hidden = false;
            return { li: li, progress: progress, state: state, file: file };
        }

        function finish(entry, ok, message) {
            entry.li.setAttribute('data-state', ok ? 'done' : 'failed');
            entry.state.textContent = message;
            entry.state.className = ok ? 'dropzone-state' : 'dropzone-state field-error';
            if (ok) {
                entry.progress.value = entry.progress.max;
            } else {
                entry.progress.removeAttribute('value'); // nothing arrived: no bar at a misleading point
                entry.progress.hidden = true;
            }

            announce(ok ? entry.file.name + ' uploaded.' : entry.file.name + ' was not uploaded: ' + message);
        }

        // The list is the element with that id, or the server-rendered ul.evidence-list carrying it as data-testid.
        function evidenceList() {
            var key = input.getAttribute('data-evidence-list');
            var list = key ? document.getElementById(key) : null;
            if (!list && key) {
                list = Array.prototype.filter.call(document.querySelectorAll('ul.evidence-list'), function (ul) {
                    return ul.getAttribute('data-testid') === key;
                })[0] || null;
            }

            if (!list) {
                list = el('ul', 'evidence-list');
                if (key) {
                    list.setAttribute('data-testid', key);
                }

                zone.parentNode.insertBefore(list, zone);
            }

            return list;
        }

        function listed(file) {
            var li = el('li');
            var a = el('a', null, file.fileName);
            a.href = file.url;
            li.appendChild(a);
            li.appendChild(document.createTextNode(' ' + file.summary));
            evidenceList().appendChild(li);
        }

        function token() {
            var field = input.form && input.form.querySelector('input[name="__RequestVerificationToken"]');
            return field ? field.value : '';
        }

        // One file at a time, in the order chosen: the bars fill one after another and the server is not flooded.
        var queue = [];
        var busy = false;

        function next() {
            if (busy || queue.length === 0) {
                return;
            }

            busy = true;
            var entry = queue.shift();
            entry.state.textContent = 'Uploading…';
            var xhr = new XMLHttpRequest();
            xhr.open('POST', uploadUrl);
            xhr.setRequestHeader(tokenHeader, token());
            xhr.setRequestHeader('Accept', 'application/json');
            xhr.upload.addEventListener('progress', function (e) {
                if (e.lengthComputable && e.total > 0) {
                    // The last per cent waits for the server's answer (stored and checked), not just the bytes sent.
                    entry.progress.value = Math.min(99, Math.floor((e.loaded / e.total) * 100));
                }
            });
            xhr.addEventListener('load', function () {
                var body = null;
                var json = (xhr.getResponseHeader('Content-Type') || '').indexOf('json') >= 0;
                if (json) {
                    try {
                        body = JSON.parse(xhr.responseText);
                    } catch (ignore) {
                        body = null; // reported below as a refusal with its status
                    }
                }

                if (xhr.status === 200 && body && body.files) {
                    body.files.forEach(listed);
                    finish(entry, true, 'Uploaded');
                } else if (!json && xhr.status === 200) {
                    // A redirect to the sign-in page answers 200 with HTML: the session has ended.
                    finish(entry, false, 'Your sign-in has ended. Reload the page, sign in again and add the file once more.');
                } else {
                    finish(entry, false, problemText(xhr.status, body));
                    if (body && body.files) {
                        body.files.forEach(listed);
                    }
                }

                done();
            });
            xhr.addEventListener('error', function () {
                finish(entry, false, 'The connection dropped before the file arrived. Check your connection and add the file again.');
                done();
            });
            xhr.addEventListener('abort', function () {
                finish(entry, false, 'The upload was stopped.');
                done();
            });

            var body = new FormData();
            body.append('file', entry.file, entry.file.name);
            xhr.send(body);
        }

        function done() {
            busy = false;
            active--;
            next();
            settled();
        }

        waiting.push(function () {
            if (busy || queue.length > 0) {
                announce('Saving waits until the upload here has finished.');
            }
        });

        function tooLarge(file) {
            return maxBytes > 0 && file.size > maxBytes;
        }

        function refusal(file) {
            return 'Not sent: at ' + size(file.size) + ' this file is larger than the ' + maxSize +
                ' allowed for one file. Make it smaller (compress it, or split it into parts) and add it again.';
        }

        // A file over the limit gets its line with the reason, like a refusal from the server, and is never sent.
        function refuse(file) {
            finish(item(file), false, refusal(file));
        }

        function upload(files) {
            Array.prototype.forEach.call(files, function (file) {
                if (tooLarge(file)) {
                    refuse(file);
                } else {
                    active++;
                    queue.push(item(file));
                }
            });
            next();
        }

        // Dropped files without an upload URL go into the input, so the form's own submit sends them.
        function attach(files) {
            var transfer = new DataTransfer();
            var taken = input.multiple ? Array.prototype.slice.call(files) : [files[0]];
            taken.forEach(function (f) { transfer.items.add(f); });
            input.files = transfer.files;
            input.dispatchEvent(new Event('change', { bubbles: true }));
        }

        // Without an upload URL the form carries the files: one over the limit is taken out of the input again.
        function keepAllowed() {
            var files = Array.prototype.slice.call(input.files);
            var refused = files.filter(tooLarge);
            if (refused.length === 0) {
                return files;
            }

            var transfer = new DataTransfer();
            files.filter(function (f) { return !tooLarge(f); }).forEach(function (f) { transfer.items.add(f); });
            input.files = transfer.files;
            refused.forEach(refuse);
            return Array.prototype.slice.call(input.files);
        }

        input.addEventListener('change', function () {
            if (!uploadUrl) {
                var before = input.files.length;
                var names = keepAllowed().map(function (f) { return f.name; });
                if (names.length > 0) {
                    // After a refusal the live region already holds its reason: the choice is added to it, not put over it.
                    announce((names.length < before ? live.textContent + ' ' : '') + 'Chosen: ' + names.join(', ') + '. ' +
                        (names.length === 1 ? 'The file is' : 'The files are') + ' sent when you submit the form.');
                }

                return;
            }

            if (input.files.length === 0) {
                return;
            }

            var files = Array.prototype.slice.call(input.files);
            input.value = ''; // sent here, not again by the page's Save button
            upload(files);
        });

        zone.addEventListener('dragover', function (e) {
            if (!hasFiles(e)) {
                return;
            }

            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
            zone.classList.add('dragover');
        });
        zone.addEventListener('dragleave', function (e) {
            if (!zone.contains(e.relatedTarget)) {
                zone.classList.remove('dragover');
            }
        });
        zone.addEventListener('drop', function (e) {
            if (!hasFiles(e)) {
                return;
            }

            e.preventDefault();
            zone.classList.remove('dragover');
            var files = e.dataTransfer.files;
            if (!files || files.length === 0) {
                return;
            }

            if (uploadUrl) {
                upload(files);
            } else {
                attach(files);
            }
        });
    }

    function start() {
        Array.prototype.forEach.call(document.querySelectorAll('input[type="file"][data-dropzone]'), enhance);
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}());
