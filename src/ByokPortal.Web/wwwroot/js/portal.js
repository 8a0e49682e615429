// Small browser helpers for ByokPortal's pages.
window.byokPortal = {
  setTheme(mode) {
    document.cookie = `byokportal.theme=${mode}; path=/; max-age=31536000; samesite=lax`;
  },
  async copyText(text) {
    await navigator.clipboard.writeText(text);
  },
};
