package org.cpis.engine.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.cpis.engine.attendance.Attendance;

/** Attendances travel between stages as JSON in the durable queue. */
public final class AttendanceCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private AttendanceCodec() {
    }

    public static byte[] encode(Attendance a) {
        try {
            return JSON.writeValueAsBytes(a);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an attendance", e);
        }
    }

    public static Attendance decode(byte[] json) {
        try {
            return JSON.readValue(json, Attendance.class);
        } catch (IOException e) {
            // Jackson's message may quote the payload: keep only the location.
            throw new IllegalArgumentException("cannot decode an attendance (" + e.getClass().getSimpleName() + ")");
        }
    }
}
