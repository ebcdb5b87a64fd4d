"""Tests that drive Debian's Chromium through Playwright (browser_support.py: server, browser,
skip-or-fail under CI=true) against built portals."""
