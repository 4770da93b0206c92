package io.sluice.engine.precheck;

/** One precheck item: its status, what was found, and how to fix it when it is not a pass. */
public record CheckResult(Status status, String item, String found, String fix) {

    public enum Status { PASS, WARN, FAIL }

    public static CheckResult pass(String item, String found) { return new CheckResult(Status.PASS, item, found, ""); }

    public static CheckResult warn(String item, String found, String fix) { return new CheckResult(Status.WARN, item, found, fix); }

    public static CheckResult fail(String item, String found, String fix) { return new CheckResult(Status.FAIL, item, found, fix); }

    public String line() {
        return String.format("%-4s  %-26s %s%s", status, item, found, fix.isEmpty() ? "" : "  -> fix: " + fix);
    }
}
