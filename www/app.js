// The page's entry. The page itself (js/page.js) imports the package; loading
// it here, dynamically, lets a failed load (no pkg/ beside the page, an old
// browser without WebAssembly) be said on the page instead of only in the
// console.

import("./js/page.js").catch((err) => {
  const boot = document.getElementById("boot");
  if (!boot) throw err;
  boot.classList.add("failed");
  boot.textContent = `The package did not load (${err?.message ?? err}). ` +
    "Serve this folder with the built package at ./pkg/ beside it: `make demo` does both.";
});
