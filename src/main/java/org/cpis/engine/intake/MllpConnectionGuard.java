package org.cpis.engine.intake;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every MLLP connection: refuses connections over the limit and closes
 * connections that stay idle, so hundreds of senders cannot exhaust threads or memory.
 */
final class MllpConnectionGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(MllpConnectionGuard.class);

    private final int maxConnections;
    private final MllpStats stats;
    private boolean counted;

    MllpConnectionGuard(int maxConnections, MllpStats stats) {
        this.maxConnections = maxConnections;
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        counted = true;
        int open = stats.opened();
        if (open > maxConnections) {
            stats.refusedConnection();
            LOG.warn("Refused MLLP connection from {}: {} connections open, limit {}",
                    ctx.channel().remoteAddress(), open - 1, maxConnections);
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (counted) {
            counted = false;
            stats.closed();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            stats.idleClosed();
            LOG.info("Closing idle MLLP connection from {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
