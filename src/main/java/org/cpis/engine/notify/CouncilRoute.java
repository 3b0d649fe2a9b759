package org.cpis.engine.notify;

import java.util.List;
import org.cpis.engine.delivery.ChannelType;

/**
 * Where a notification for a council goes.
 *
 * @param requestedOds the ODS code of the flag's council
 * @param target the directory entry used: the council itself, or the fallback
 * @param fallbackUsed true when the council is not in the directory; the caller raises an operator alert
 */
public record CouncilRoute(String requestedOds, Council target, boolean fallbackUsed) {
    public List<ChannelType> channels() {
        return target.channels();
    }
}
