package io.sluice.it;

import io.sluice.app.status.JobMBeans;
import io.sluice.app.status.StatusServer;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in a real headless Chromium (Debian's chromium and chromedriver, installed by
 * {@code scripts/servers.sh up browser}): while a job initializes a 200k-row table and then streams,
 * the rendered page shows the initialization bar moving, the phase turning to streaming, and an
 * error after the source connection is cut (a TCP proxy between job and MySQL, never the shared
 * server). The JMX MBeans are checked alongside. Screenshots go to sluice-it/target/.
 */
@Timeout(180)
class StatusConsoleIT {

    private static final int ROWS = 200_000;
    private static final String TABLE = "it_console.t";

    @Test
    void theConsoleShowsInitializationProgressStreamingAndAnErrorAfterAFault(@TempDir Path state) throws Exception {
        Servers.ensure("browser");
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_console",
                "CREATE TABLE it_console.t (id INT PRIMARY KEY, v VARCHAR(40))",
                "CREATE TABLE it_console.digits (n INT PRIMARY KEY)",
                "INSERT INTO it_console.digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)",
                // 2 x 10^5 rows from the digits' cross product
                "INSERT INTO it_console.t SELECT a.n + 10*b.n + 100*c.n + 1000*d.n + 10000*e.n + 100000*f.n, 'initial row'"
                        + " FROM it_console.digits a, it_console.digits b, it_console.digits c, it_console.digits d,"
                        + " it_console.digits e, it_console.digits f WHERE f.n < 2",
                "ANALYZE TABLE it_console.t");
        String topic = "it-console-" + System.nanoTime();
        String name = "console";
        Path target = Servers.root().resolve("sluice-it/target");
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            MySqlServer viaProxy = new MySqlServer(server.flavor(), "127.0.0.1", proxy.port());
            String yaml = JobYaml.of(name, viaProxy, topic, state, TABLE, 7731)
                    + "initialization:\n  chunkSize: 500\n  parallelism: 1\n";
            try (RunningJob job = RunningJob.launch(yaml);
                 JobMBeans mbeans = JobMBeans.register(name, job.job());
                 StatusServer status = new StatusServer(0, name, job.job())) {
                WebDriver browser = chromium(target);
                try {
                    browser.get("http://127.0.0.1:" + status.port() + "/");
                    // the page redraws its parts every 2 s: an element read between two redraws may be gone
                    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
                    wait.ignoring(StaleElementReferenceException.class);

                    // initializing: the table's bar shows part of the rows, then more
                    long first = wait.until(rowsWhere(r -> r > 0 && r < ROWS));
                    assertEquals("initializing", browser.findElement(By.id("phase")).getText());
                    assertTrue(bool(JobMBeans.name("snapshot", name), "SnapshotRunning"));
                    screenshot(browser, target.resolve("status-console-initializing.png"));
                    long later = wait.until(rowsWhere(r -> r > first));
                    assertTrue(later > first);
                    String detail = wait.until(d -> d.findElement(By.cssSelector(".table-progress[data-table='" + TABLE + "'] .detail")).getText());
                    assertTrue(detail.contains("/ ~") && detail.contains("rows"), detail);

                    // streaming: the phase changes, the bar is full
                    wait.withTimeout(Duration.ofSeconds(120)).until(d -> "streaming".equals(d.findElement(By.id("phase")).getText()));
                    wait.until(rowsWhere(r -> r == ROWS));
                    assertEquals("100", wait.until(d -> bar(d).getAttribute("data-percent")));
                    assertEquals("up", browser.findElement(By.id("connected")).getText());
                    assertTrue(browser.findElement(By.id("checkpoint")).getText().startsWith("mysql-bin."));
                    wait.until(d -> d.findElement(By.id("sourceEnd")).getText().startsWith("mysql-bin."));
                    ObjectName snapshot = JobMBeans.name("snapshot", name);
                    ObjectName streaming = JobMBeans.name("streaming", name);
                    assertTrue(bool(snapshot, "SnapshotCompleted"));
                    assertFalse(bool(snapshot, "SnapshotRunning"));
                    assertEquals(0, mbean().getAttribute(snapshot, "RemainingTableCount"));
                    assertEquals((long) ROWS, rowsScanned(snapshot));
                    assertTrue(bool(streaming, "Connected"));
                    assertTrue(((String) mbean().getAttribute(streaming, "BinlogFilename")).startsWith("mysql-bin."));
                    assertTrue(browser.findElement(By.id("errors")).findElements(By.tagName("tr")).isEmpty());
                    // the records/s chart: an SVG line drawn from the samples (one per 5 s), with a real extent
                    wait.until(d -> !d.findElements(By.cssSelector("#chart polyline")).isEmpty());
                    Number width = (Number) ((org.openqa.selenium.JavascriptExecutor) browser)
                            .executeScript("return document.querySelector('#chart polyline').getBBox().width");
                    assertTrue(width.doubleValue() > 0, "chart width " + width);

                    // a fault: the connection to MySQL is cut; the console shows it and the error, with its time
                    proxy.cut();
                    wait.until(d -> !d.findElement(By.id("errors")).findElements(By.tagName("tr")).isEmpty());
                    String error = wait.until(d -> d.findElement(By.cssSelector("#errors tr")).getText());
                    assertTrue(error.matches("(?s)\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*\\S.*"), error);
                    wait.until(d -> "down".equals(d.findElement(By.id("connected")).getText()));
                    screenshot(browser, target.resolve("status-console-fault.png"));
                    proxy.restore();
                    wait.until(d -> "streaming".equals(d.findElement(By.id("phase")).getText())
                            && "up".equals(d.findElement(By.id("connected")).getText()));
                    server.exec("INSERT INTO it_console.t VALUES (-1, 'after the fault')");
                    wait.until(d -> d.findElement(By.id("counters")).getText().contains("records written " + String.format("%,d", ROWS + 1)));
                    screenshot(browser, target.resolve("status-console-streaming.png"));
                } finally {
                    browser.quit();
                }
            }
        }
    }

    /** Debian's Chromium through its chromedriver: Selenium Manager is not involved (it would download). */
    private static WebDriver chromium(Path target) throws Exception {
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1500", "--no-first-run", "--disable-extensions");
        Files.createDirectories(target);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .withLogFile(target.resolve("chromedriver.log").toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    private static WebElement bar(WebDriver d) {
        return d.findElement(By.cssSelector(".table-progress[data-table='" + TABLE + "']"));
    }

    /** The rows the table's bar shows, once they satisfy {@code condition} (else null: the wait goes on). */
    private static Function<WebDriver, Long> rowsWhere(java.util.function.LongPredicate condition) {
        return d -> {
            List<WebElement> bars = d.findElements(By.cssSelector(".table-progress[data-table='" + TABLE + "']"));
            if (bars.isEmpty()) return null;
            long rows = Long.parseLong(bars.get(0).getAttribute("data-rows"));
            return condition.test(rows) ? rows : null;
        };
    }

    private static void screenshot(WebDriver browser, Path file) throws Exception {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(file, png);
    }

    private static MBeanServer mbean() {
        return ManagementFactory.getPlatformMBeanServer();
    }

    private static boolean bool(ObjectName name, String attribute) throws Exception {
        return (Boolean) mbean().getAttribute(name, attribute);
    }

    private static long rowsScanned(ObjectName snapshot) throws Exception {
        TabularData rows = (TabularData) mbean().getAttribute(snapshot, "RowsScanned");
        for (Object row : rows.values()) {
            CompositeData r = (CompositeData) row;
            if (TABLE.equals(r.get("key"))) return (Long) r.get("value");
        }
        return -1;
    }
}
