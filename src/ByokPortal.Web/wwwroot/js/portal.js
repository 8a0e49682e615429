// Small browser helpers for ByokPortal's pages.
window.byokPortal = {
  setTheme(mode) {
    document.cookie = `byokportal.theme=${mode}; path=/; max-age=31536000; samesite=lax`;
  },
  async copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return false;
    }
  },
  // Puts the keyboard focus on the first field a person can change in the dialog that holds the marker (see FocusFirstField.razor).
  focusFirstField(marker) {
    const dialog = marker?.closest('.mud-dialog');
    if (!dialog) {
      return;
    }
    const fields = dialog.querySelectorAll(
      '[role="combobox"], input:not([type="hidden"]):not([readonly]):not([disabled]), textarea:not([readonly]):not([disabled]), select:not([disabled])');
    for (const field of fields) {
      if (field.getClientRects().length > 0 && field.getAttribute('aria-disabled') !== 'true') {
        field.focus();
        return;
      }
    }
  },
};

// MudBlazor 9 marks a disabled tab only with the "mud-disabled" class; screen readers and acceptance automation need
// aria-disabled on the element with role="tab". Mirror the class onto the attribute for every tab, now and as pages change.
(() => {
  const syncTabs = () => {
    for (const tab of document.querySelectorAll('[role="tab"]')) {
      const disabled = tab.classList.contains('mud-disabled');
      if (disabled && tab.getAttribute('aria-disabled') !== 'true') {
        tab.setAttribute('aria-disabled', 'true');
      } else if (!disabled && tab.hasAttribute('aria-disabled')) {
        tab.removeAttribute('aria-disabled');
      }
    }
  };
  const start = () => {
    syncTabs();
    new MutationObserver(syncTabs).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
