// The browser's own checks of a form (a required field left empty, a number out of range) speak the
// language of the browser, not of the page: an officer's English Chrome said "Please fill out this
// field." This gives each such refusal in Vietnamese; the server still checks everything again.
(function () {
  "use strict";

  var ours = new WeakSet();   // fields whose custom message is this file's, not another script's

  function missing(field) {
    if (field.type === "file") return "Vui lòng chọn tệp.";
    if (field.tagName === "SELECT") return "Vui lòng chọn một mục trong danh sách.";
    if (field.type === "checkbox") return "Vui lòng đánh dấu ô này nếu muốn tiếp tục.";
    if (field.type === "radio") return "Vui lòng chọn một trong các lựa chọn này.";
    return "Vui lòng điền vào trường này.";
  }

  function message(field) {
    var state = field.validity;
    if (state.valueMissing) return missing(field);
    if (state.badInput) return field.type === "number" ? "Vui lòng nhập một số." : "Giá trị không hợp lệ.";
    if (state.typeMismatch) {
      return field.type === "email" ? "Vui lòng nhập một địa chỉ email đúng dạng, ví dụ ten@example.gov.vn."
        : field.type === "url" ? "Vui lòng nhập một địa chỉ web đúng dạng, ví dụ https://example.gov.vn."
        : "Giá trị không đúng dạng.";
    }
    if (state.rangeUnderflow) return "Giá trị phải lớn hơn hoặc bằng " + field.min + ".";
    if (state.rangeOverflow) return "Giá trị phải nhỏ hơn hoặc bằng " + field.max + ".";
    if (state.stepMismatch) return "Giá trị không hợp lệ: hãy chọn một giá trị đúng bước nhảy của trường.";
    if (state.tooShort) return "Vui lòng nhập ít nhất " + field.minLength + " ký tự (hiện có " + field.value.length + ").";
    if (state.tooLong) return "Vui lòng nhập tối đa " + field.maxLength + " ký tự (hiện có " + field.value.length + ").";
    if (state.patternMismatch) return field.title ? "Giá trị không đúng dạng: " + field.title : "Giá trị không đúng dạng yêu cầu.";
    return "";
  }

  // Capturing: "invalid" does not bubble. The browser shows the message set while the event runs.
  document.addEventListener("invalid", function (event) {
    var field = event.target;
    if (!field.setCustomValidity) return;
    if (field.validity.customError && !ours.has(field)) return;   // another script's own words
    field.setCustomValidity("");
    var text = message(field);
    if (text) {
      field.setCustomValidity(text);
      ours.add(field);
    }
  }, true);

  // A message set here would keep the field invalid for good: the next edit clears it so the browser checks afresh.
  function clear(event) {
    var field = event.target;
    // Choosing one radio button answers for its whole group.
    var group = field.type === "radio" && field.form && field.name ? field.form.querySelectorAll("input[type=radio]") : [field];
    Array.prototype.forEach.call(group, function (each) {
      if (ours.has(each) && (each === field || each.name === field.name)) {
        each.setCustomValidity("");
        ours.delete(each);
      }
    });
  }
  document.addEventListener("input", clear, true);
  document.addEventListener("change", clear, true);
})();
