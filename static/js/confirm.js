// A question before a button whose effect reaches other people and cannot be taken back (PC06's reminder goes
// to every unit that has not submitted): the button's data-confirm is the question, "Hủy" keeps the page as
// it is. Without the script the form simply submits. The entry page asks its own questions in entry.js.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button && button.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
