// Project form: show the guide of the sub-sector chosen in the select, hide the others.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("select[name=sub_sector]");
  if (!select) return;
  const show = () => {
    document.querySelectorAll(".sector-guide").forEach((guide) => {
      guide.hidden = guide.dataset.sector !== select.value;
    });
  };
  select.addEventListener("change", show);
  show();
});
