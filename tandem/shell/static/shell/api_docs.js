// The docs page's "Send request" forms: a real call with the browser's session and CSRF token.
(function () {
  "use strict";
  const docs = document.querySelector(".api-docs");
  if (!docs) return;
  const csrf = docs.dataset.csrf;

  docs.querySelectorAll("form.api-try").forEach(function (form) {
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const operation = form.closest(".api-operation");
      const method = operation.dataset.method;
      let path = operation.dataset.path;
      const query = new URLSearchParams();
      form.querySelectorAll("input[data-in]").forEach(function (input) {
        if (input.value === "") return;
        if (input.dataset.in === "path") {
          path = path.replace("{" + input.name + "}", encodeURIComponent(input.value));
        } else if (input.dataset.in === "query") {
          query.append(input.name, input.value);
        }
      });
      const url = path + (query.toString() ? "?" + query.toString() : "");
      const options = {
        method: method,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      };
      const body = form.querySelector("textarea[name=__body]");
      if (body) {
        options.headers["Content-Type"] = "application/json";
        options.body = body.value;
      }
      const output = form.querySelector(".api-result");
      const pre = output.querySelector("pre");
      try {
        const response = await fetch(url, options);
        const text = await response.text();
        let shown = text;
        try {
          shown = JSON.stringify(JSON.parse(text), null, 2);
        } catch (ignored) {
          // not JSON: show as it came
        }
        pre.textContent = method + " " + url + " → " + response.status + "\n\n" + shown;
      } catch (error) {
        pre.textContent = String(error);
      }
      output.hidden = false;
    });
  });
})();
