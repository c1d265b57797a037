using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HingeSensor.Server.Tests
{
    /// <summary>
    /// A TCP proxy on loopback between `hinge sync` and the server, for the fault campaign: it
    /// passes bytes both ways until told otherwise. <see cref="StallRequestsAfter"/> holds what the
    /// client sends once a given text has gone through (e.g. the Content-Range of the third part:
    /// the server has the parts before it and waits for this one's body); <see cref="HoldAnswersAfter"/>
    /// lets the request through but holds every answer from then on (the server acts, the client
    /// never hears). <see cref="Release"/> lets held bytes go on; <see cref="Cut"/> resets every
    /// connection instead, as a network that goes away. After either the proxy passes bytes again.
    /// Stalls are conditions the test waits for, never durations.
    /// </summary>
    public sealed class FaultProxy : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Socket> _sockets = new();
        private readonly Task _accepting;
        private readonly object _gate = new();
        private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _stallRequestsAfter, _holdAnswersAfter;
        private bool _holdingAnswers;
        private int _stalled;

        public FaultProxy(int serverPort)
        {
            ServerPort = serverPort;
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _accepting = AcceptAsync();
        }

        /// <summary>Where the client is pointed.</summary>
        public Uri Url { get; }

        /// <summary>The server's port; may be changed for the next connections (a server started again elsewhere).</summary>
        public int ServerPort { get; set; }

        /// <summary>True once a stall or hold has taken effect: bytes are waiting in the proxy.</summary>
        public bool Stalled => Volatile.Read(ref _stalled) == 1;

        /// <summary>From the moment the client has sent <paramref name="text"/> (that text included), nothing more it sends reaches the server.</summary>
        public void StallRequestsAfter(string text)
        {
            lock (_gate) _stallRequestsAfter = text;
        }

        /// <summary>From the moment the client has sent <paramref name="text"/>, its requests go through but no answer comes back.</summary>
        public void HoldAnswersAfter(string text)
        {
            lock (_gate) _holdAnswersAfter = text;
        }

        /// <summary>Lets the held bytes go on, both ways, and passes bytes again from now on.</summary>
        public void Release()
        {
            TaskCompletionSource released;
            lock (_gate)
            {
                _stallRequestsAfter = _holdAnswersAfter = null;
                _holdingAnswers = false;
                released = _released;
                _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _stalled, 0);
            }
            released.TrySetResult();
        }

        /// <summary>Resets every open connection (both sides see a connection reset) and passes bytes again from now on.</summary>
        public void Cut()
        {
            lock (_gate)
            {
                foreach (Socket s in _sockets)
                {
                    try { s.LingerState = new LingerOption(true, 0); s.Close(); }
                    catch (ObjectDisposedException) { }
                }
                _sockets.Clear();
            }
            Release();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try { client = await _listener.AcceptSocketAsync(_stop.Token); }
                catch (Exception e) when (e is OperationCanceledException || e is SocketException || e is ObjectDisposedException) { return; }
                _ = RelayAsync(client);
            }
        }

        private async Task RelayAsync(Socket client)
        {
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try { await server.ConnectAsync(IPAddress.Loopback, ServerPort, _stop.Token); }
            catch (Exception e) when (e is SocketException || e is OperationCanceledException)
            {
                // Nobody there (the server is down): the client sees its connection refused, as without a proxy.
                client.LingerState = new LingerOption(true, 0);
                client.Close();
                server.Dispose();
                return;
            }
            lock (_gate)
            {
                _sockets.Add(client);
                _sockets.Add(server);
            }
            await Task.WhenAll(PumpAsync(client, server, true), PumpAsync(server, client, false));
            client.Dispose();
            server.Dispose();
        }

        private async Task PumpAsync(Socket from, Socket to, bool upstream)
        {
            var buffer = new byte[16 * 1024];
            string seen = "";
            try
            {
                while (true)
                {
                    int n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (n == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }
                    int pass = n;
                    Task? wait = null;
                    if (upstream)
                    {
                        // Latin-1 keeps one char per byte, so an index in the text is an index in the bytes.
                        string window = seen + Encoding.Latin1.GetString(buffer, 0, n);
                        lock (_gate)
                        {
                            if (_holdAnswersAfter != null && window.Contains(_holdAnswersAfter, StringComparison.Ordinal))
                            {
                                _holdAnswersAfter = null;
                                _holdingAnswers = true;
                                Volatile.Write(ref _stalled, 1);
                            }
                            int at = _stallRequestsAfter == null ? -1 : window.IndexOf(_stallRequestsAfter, StringComparison.Ordinal);
                            if (at >= 0)
                            {
                                pass = Math.Max(0, at + _stallRequestsAfter!.Length - seen.Length);
                                _stallRequestsAfter = null;
                                wait = _released.Task;
                                Volatile.Write(ref _stalled, 1);
                            }
                        }
                        seen = window.Length > 256 ? window[^256..] : window;
                    }
                    else
                    {
                        lock (_gate)
                            if (_holdingAnswers)
                            {
                                pass = 0;
                                wait = _released.Task;
                            }
                    }
                    await SendAllAsync(to, buffer, 0, pass);
                    if (wait == null) continue;
                    // Held until the cut: then the sockets are closed and sending the rest fails, ending this pump.
                    await wait;
                    await SendAllAsync(to, buffer, pass, n - pass);
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
            {
                // A cut or a reset from either side: the other side is reset too, as a lost route would leave it.
                lock (_gate)
                {
                    foreach (Socket s in new[] { from, to })
                    {
                        try { s.LingerState = new LingerOption(true, 0); s.Close(); }
                        catch (ObjectDisposedException) { }
                        _sockets.Remove(s);
                    }
                }
            }
        }

        private static async Task SendAllAsync(Socket to, byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                int sent = await to.SendAsync(buffer.AsMemory(offset, count), SocketFlags.None);
                offset += sent;
                count -= sent;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            Cut();
            await _accepting;
            _stop.Dispose();
        }
    }
}
