package org.cpis.engine.intake;

import io.netty.channel.ChannelHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.netty.ChannelHandlerFactory;

/**
 * The channel handler factories the {@code receive-adt} route names in its netty endpoint:
 * {@code decoders: #mllpIdle,#mllpGuard,#mllpDecoder} and {@code encoders: #mllpEncoder}
 * (the encoder is camel-hl7's HL7MLLPNettyEncoderFactory).
 */
public final class MllpCodecs {
    private MllpCodecs() {
    }

    /** Closes a connection after {@code idle} without reads or writes. */
    public static ChannelHandlerFactory idle(Duration idle) {
        return new Factory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS);
            }
        };
    }

    public static ChannelHandlerFactory guard(int maxConnections, MllpStats stats) {
        return new Factory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new MllpConnectionGuard(maxConnections, stats);
            }
        };
    }

    public static ChannelHandlerFactory decoder(int maxFrameBytes, MllpStats stats) {
        return new Factory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new MllpFrameDecoder(maxFrameBytes, stats);
            }
        };
    }

    /** Each call of newChannelHandler gives a fresh handler: these handlers keep per-connection state. */
    private abstract static class Factory extends io.netty.channel.ChannelHandlerAdapter implements ChannelHandlerFactory {
        @Override
        public boolean isSharable() {
            return true;
        }
    }
}
