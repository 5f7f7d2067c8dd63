/* Direct upload to ImageKit for DirectUploadWidget: no build step, no dependencies.
 *
 * For each .imagekit-direct-upload block: when a file is chosen, fetch one-time credentials and a claim
 * from the project's upload-auth view (same origin, with the session cookie), post the file to ImageKit's
 * upload API tagged with the claim's tag, with a progress bar, and put "filePath|claim" in the hidden
 * input: the server attaches only a file that carries the tag of the claim submitted with it. The form cannot be
 * submitted while an upload is running. Text from the server is shown with textContent, never as HTML.
 */
(function () {
  "use strict";

  function part(root, selector) { return root.querySelector(selector); }

  function say(root, text, state) {
    part(root, ".imagekit-status").textContent = text;
    root.setAttribute("data-state", state);
  }

  function credentials(root) {
    var url = root.getAttribute("data-auth-url");
    url += (url.indexOf("?") < 0 ? "?" : "&") + "claim=1";
    return fetch(url, {
      credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) { throw new Error("the upload was not authorised (" + response.status + ")"); }
      return response.json();
    }).then(function (auth) {
      // Without a claim the form would refuse the upload afterwards: say so before uploading.
      if (!auth || !auth.claim || !auth.claimTag) { throw new Error("the upload-auth view gave no claim"); }
      return auth;
    });
  }

  function send(root, file, auth) {
    return new Promise(function (resolve, reject) {
      var progress = part(root, ".imagekit-progress");
      var body = new FormData();
      body.append("file", file);
      body.append("fileName", file.name);
      body.append("folder", root.getAttribute("data-folder"));
      body.append("useUniqueFileName", "true");
      body.append("tags", auth.claimTag);
      body.append("publicKey", auth.publicKey);
      body.append("signature", auth.signature);
      body.append("expire", String(auth.expire));
      body.append("token", auth.token);
      var request = new XMLHttpRequest();
      request.open("POST", root.getAttribute("data-upload-url"));
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { progress.value = Math.round(event.loaded * 100 / event.total); }
      });
      request.addEventListener("load", function () {
        var answer = null;
        try { answer = JSON.parse(request.responseText); } catch (ignored) { answer = null; }
        if (request.status >= 200 && request.status < 300 && answer && answer.filePath) {
          resolve(answer);
        } else {
          reject(new Error((answer && answer.message) || ("ImageKit answered " + request.status)));
        }
      });
      request.addEventListener("error", function () { reject(new Error("the upload did not reach ImageKit")); });
      request.send(body);
    });
  }

  function upload(root, file) {
    var hidden = part(root, "input[type=hidden]");
    var progress = part(root, ".imagekit-progress");
    progress.hidden = false;
    progress.value = 0;
    say(root, "Uploading " + file.name + "…", "uploading");
    var claim = "";
    credentials(root).then(function (auth) {
      claim = auth.claim;
      return send(root, file, auth);
    }).then(function (result) {
      hidden.value = result.filePath + "|" + claim;
      progress.value = 100;
      say(root, "Uploaded " + result.name, "done");
      root.dispatchEvent(new CustomEvent("imagekit:uploaded", {bubbles: true, detail: result}));
    }).catch(function (error) {
      progress.hidden = true;
      say(root, "Upload failed: " + error.message, "error");
    });
  }

  function init(root) {
    // The admin's hidden template row (.empty-form) is cloned for new inline rows: leave it bare.
    if (root.getAttribute("data-ready") || root.closest(".empty-form")) { return; }
    root.setAttribute("data-ready", "1");
    var chooser = part(root, ".imagekit-file");
    chooser.addEventListener("change", function () {
      if (chooser.files && chooser.files.length) { upload(root, chooser.files[0]); }
    });
    var clear = part(root, ".imagekit-clear");
    if (clear) {
      clear.addEventListener("click", function () {
        part(root, "input[type=hidden]").value = "";
        chooser.value = "";
        var current = part(root, ".imagekit-current");
        if (current) { current.textContent = ""; }
        say(root, "Removed", "cleared");
      });
    }
    var form = part(root, "input[type=hidden]").form;
    if (form && !form.getAttribute("data-imagekit-guarded")) {
      form.setAttribute("data-imagekit-guarded", "1");
      form.addEventListener("submit", function (event) {
        var busy = form.querySelector(".imagekit-direct-upload[data-state=uploading]");
        if (busy) {
          event.preventDefault();
          part(busy, ".imagekit-status").textContent = "Please wait until the upload has finished.";
        }
      });
    }
  }

  function initAll(scope) {
    var roots = (scope || document).querySelectorAll(".imagekit-direct-upload");
    Array.prototype.forEach.call(roots, init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  } else {
    initAll(document);
  }
  // Rows the admin adds to an inline formset.
  document.addEventListener("formset:added", function (event) { initAll(event.target); });
})();
