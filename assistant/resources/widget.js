/* Trợ lý công chức số — chat box for a portal page.
 *
 * One tag: <script src="https://API-HOST/widget.js" defer></script>
 * It opens a small chat box that asks POST /v1/ask of the API it was loaded from, as an anonymous caller: only public
 * documents answer. The API must list the portal's origin in ASSISTANT_CORS_ORIGINS. Every text from the API is put
 * in the page as text (never as HTML), and the box lives in a shadow root so the portal's styles do not reach it.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__troLyWidget) return;
  window.__troLyWidget = true;
  var api = new URL(script.src, window.location.href).origin;
  var history = [];

  var host = document.createElement("div");
  host.id = "tro-ly-widget";
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    "<style>" +
    ":host{all:initial}" +
    ".btn{position:fixed;right:16px;bottom:16px;z-index:2147483000;background:#b3261e;color:#fff;border:0;" +
    "border-radius:24px;padding:12px 18px;font:600 15px/1.2 system-ui,sans-serif;cursor:pointer;" +
    "box-shadow:0 2px 8px rgba(0,0,0,.3)}" +
    ".box{position:fixed;right:16px;bottom:72px;z-index:2147483000;width:min(380px,calc(100vw - 32px));" +
    "height:min(520px,calc(100vh - 96px));display:none;flex-direction:column;background:#fff;color:#1c1b1f;" +
    "border-radius:12px;box-shadow:0 4px 18px rgba(0,0,0,.3);font:14px/1.45 system-ui,sans-serif;overflow:hidden}" +
    ".box.open{display:flex}" +
    ".head{background:#b3261e;color:#fff;padding:10px 14px;font-weight:600}" +
    ".head small{display:block;font-weight:400;opacity:.9}" +
    ".log{flex:1;overflow-y:auto;padding:10px 12px}" +
    ".q{margin:8px 0 4px;font-weight:600}" +
    ".a{white-space:pre-wrap;margin:0 0 6px}" +
    ".src{margin:0 0 10px;padding-left:18px;font-size:13px}" +
    ".src a{color:#0b57d0}" +
    ".err{color:#b3261e}" +
    "form{display:flex;gap:6px;padding:8px;border-top:1px solid #ddd}" +
    "input{flex:1;padding:8px;border:1px solid #aaa;border-radius:6px;font:inherit}" +
    "button[type=submit]{padding:8px 12px;border:0;border-radius:6px;background:#0b57d0;color:#fff;font:inherit}" +
    "</style>" +
    '<button class="btn" type="button" aria-expanded="false">Hỏi trợ lý</button>' +
    '<div class="box" role="dialog" aria-label="Trợ lý công chức số">' +
    '<div class="head">Trợ lý công chức số<small>Trả lời từ văn bản công khai, có trích dẫn nguồn</small></div>' +
    '<div class="log" aria-live="polite"></div>' +
    '<form><input name="q" maxlength="2000" autocomplete="off" placeholder="Nhập câu hỏi…" aria-label="Câu hỏi">' +
    '<button type="submit">Gửi</button></form></div>';

  var button = root.querySelector(".btn");
  var box = root.querySelector(".box");
  var log = root.querySelector(".log");
  var form = root.querySelector("form");
  var input = root.querySelector("input");

  button.addEventListener("click", function () {
    var open = box.classList.toggle("open");
    button.setAttribute("aria-expanded", String(open));
    if (open) input.focus();
  });

  function line(cls, text) {
    var el = document.createElement("p");
    el.className = cls;
    el.textContent = text;
    log.appendChild(el);
    log.scrollTop = log.scrollHeight;
    return el;
  }

  function sources(citations) {
    if (!citations || !citations.length) return;
    var list = document.createElement("ol");
    list.className = "src";
    citations.forEach(function (c) {
      var item = document.createElement("li");
      item.value = c.n;
      var link = document.createElement("a");
      link.href = new URL(c.url, api).href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.textContent = [c.path, c.number, c.page ? "trang " + c.page : ""].filter(Boolean).join(" — ");
      item.appendChild(link);
      list.appendChild(item);
    });
    log.appendChild(list);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value.trim();
    if (!question) return;
    input.value = "";
    line("q", question);
    var waiting = line("a", "Đang tìm căn cứ…");
    fetch(api + "/v1/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: question, history: history.slice(-10) }),
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            var message = body && body.error ? body.error.message : "";
            throw new Error("Trợ lý không trả lời được (mã " + response.status + "). " + message);
          }
          return body;
        });
      })
      .then(function (body) {
        waiting.textContent = body.answer;
        sources(body.citations);
        history.push(question);
      })
      .catch(function (error) {
        waiting.className = "a err";
        waiting.textContent =
          error instanceof TypeError || !error.message
            ? "Không kết nối được trợ lý (mạng, hoặc trang này chưa được phép dùng trợ lý)."
            : error.message;
      });
  });

  document.body.appendChild(host);
})();
