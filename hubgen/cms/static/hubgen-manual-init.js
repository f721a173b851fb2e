/* Decap starts as soon as its script runs; hubgen-formats.js starts it once hubgen's file
   formats are registered, so no entry is read with Decap's own (comment-dropping) YAML writer. */
window.CMS_MANUAL_INIT = true;
