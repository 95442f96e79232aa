// Night mode before the first paint: no white flash in the dark. A file of its own, loaded before
// the app, because the server's Content-Security-Policy allows no inline script.
if (localStorage.getItem("gh-night") === "1") document.documentElement.classList.add("night");
