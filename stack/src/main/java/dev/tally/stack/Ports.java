package dev.tally.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback ports: is one free, find free ones. */
public final class Ports
{
    public static final String LOOPBACK = "127.0.0.1";

    private Ports()
    {
    }

    public static boolean isFree(final int port)
    {
        try (ServerSocket s = new ServerSocket())
        {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
            return true;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    /** @throws StackException naming the port and the flag to change when the port is taken. */
    public static void requireFree(final int port, final String what, final String flag)
    {
        if (!isFree(port))
        {
            throw new StackException(what + ": port " + LOOPBACK + ":" + port +
                " is already in use; stop what holds it or choose another with " + flag);
        }
    }

    /** A port the OS has just handed out as free; good enough for tests that start their own stack. */
    public static int freePort()
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK)))
        {
            return s.getLocalPort();
        }
        catch (final IOException e)
        {
            throw new StackException("no free loopback port: " + e.getMessage());
        }
    }

}
