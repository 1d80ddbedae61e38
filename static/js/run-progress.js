// Live progress of a review run: polls the JSON endpoint, updates the <progress> bar and the
// polite live region, and once every letter is rendered says so in the heading and title and shows
// the link to the letters (a failure reloads the page, for its retry buttons). Without JavaScript
// the page keeps its "Refresh" link.
const POLL_MS = 2000;

function describe(progress) {
  let text = `${progress.done} of ${progress.total} ready, ${progress.failed} failed.`;
  if (progress.finished) {
    text += " Finished.";
  } else if (progress.remaining_text) {
    text += ` ${progress.remaining_text}`;
  } else if (!progress.stopped) {
    text += " Starting.";
  }
  if (progress.stopped_text) {
    text += ` ${progress.stopped_text}`;
  }
  return text;
}

function start(root) {
  if (root.dataset.finished === "true") return;
  const url = root.dataset.progressUrl;
  const bar = root.querySelector("progress");
  const live = root.querySelector("[data-progress-text]");
  let lastText = live.textContent.trim();

  async function poll() {
    let progress;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      progress = await response.json();
    } catch {
      window.setTimeout(poll, POLL_MS * 2);
      return;
    }
    bar.max = Math.max(progress.total, 1);
    bar.value = progress.done + progress.failed;
    bar.textContent = `${progress.percent}%`;
    const text = describe(progress);
    if (text !== lastText) {
      live.textContent = text;
      lastText = text;
    }
    if (progress.finished) {
      if (progress.failed > 0) {
        // Show the failures table with its retry buttons.
        window.location.reload();
        return;
      }
      // Say so in the heading and the title, and offer the letters (as the finished page does).
      const heading = document.querySelector("[data-progress-heading]");
      if (heading) heading.textContent = "Letters rendered";
      document.title = document.title.replace("Rendering the letters", "Letters rendered");
      document.querySelectorAll("[data-progress-done]").forEach((element) => { element.hidden = false; });
      document.querySelectorAll("[data-progress-refresh]").forEach((element) => { element.hidden = true; });
      return;
    }
    window.setTimeout(poll, POLL_MS);
  }

  window.setTimeout(poll, POLL_MS);
}

document.querySelectorAll('[data-module="app-run-progress"]').forEach(start);
