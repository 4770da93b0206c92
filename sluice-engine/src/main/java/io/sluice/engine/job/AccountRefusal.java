package io.sluice.engine.job;

import io.sluice.core.error.SluiceException;

import java.sql.SQLException;
import java.util.Set;

/**
 * The source refusing the job's account while the job resumes a lost connection: its password was
 * changed, or it expired, or the account was dropped or locked. The job file's credentials will not work
 * again until someone acts, so after a few attempts (a moment's glitch passes) the job stops with exit 2
 * and the fix instead of retrying for ever; it resumes from its checkpoint once restarted.
 */
final class AccountRefusal {

    /** Consecutive refused attempts before the job stops (the backoff makes it about 7 s). */
    static final int ATTEMPTS = 4;

    // access denied; password expired (MySQL); account locked (MySQL, MariaDB)
    private static final Set<Integer> CODES = Set.of(1045, 1862, 3118, 4151);

    private AccountRefusal() {}

    /** The server's error code if {@code e} (or a cause) is a refusal of the account, else 0. */
    static int code(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && CODES.contains(s.getErrorCode())) return s.getErrorCode();
        }
        return 0;
    }

    static SluiceException failure(String user, String where, int code, String why) {
        String what = switch (code) {
            case 1862 -> "its password expired";
            case 3118, 4151 -> "the account is locked";
            default -> "its password was changed, or the account was dropped or no longer matches this host";
        };
        return new SluiceException("MySQL at " + where + " refuses the job's account '" + user + "' since the connection was lost ("
                + what + "; " + why + ")", "set source.password to the account's current password (or unlock or re-create the account"
                + " with its grants) and start the job again: it resumes from its last checkpoint, nothing is lost");
    }
}
