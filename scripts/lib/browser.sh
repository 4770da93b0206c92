# shellcheck shell=bash
# A headless browser for the web console's test: Debian's Chromium and its WebDriver, from the
# distribution's packages (nothing downloaded by Selenium). Not a server: `up` installs, `status` shows it.

BROWSER_BIN=/usr/bin/chromium
BROWSER_DRIVER=/usr/bin/chromedriver

# fonts-liberation: readable screenshots (the page's sans-serif) without the packages' recommends
browser_install() { apt_install chromium chromium-driver fonts-liberation; }

browser_up() {
  [[ -x $BROWSER_BIN && -x $BROWSER_DRIVER ]] || die "browser: $BROWSER_BIN or $BROWSER_DRIVER missing after the install"
  log "browser: $("$BROWSER_DRIVER" --version 2>/dev/null | head -n1)"
}

browser_down() { :; }

browser_status() {
  if [[ -x $BROWSER_BIN && -x $BROWSER_DRIVER ]]; then
    echo "browser: installed ($BROWSER_BIN, $BROWSER_DRIVER)"
  else
    echo "browser: not installed (scripts/servers.sh up browser)"
  fi
}
