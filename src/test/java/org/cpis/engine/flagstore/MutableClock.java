package org.cpis.engine.flagstore;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests set to an exact day, so visibility windows can be hit at their edges. */
public final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(LocalDate day) {
        set(day);
    }

    public void set(LocalDate day) {
        now = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
