using System;
using System.Threading.RateLimiting;

namespace HingeSensor.Server.Web
{
    /// <summary>
    /// Sign-in attempts are limited per email address and per client address in a fixed window,
    /// right or wrong alike: guessing one person's password stays slow, and so does trying one
    /// password on many accounts from one place. Counted in this process (several servers each
    /// count their own).
    /// </summary>
    public sealed class LoginThrottle : IDisposable
    {
        private readonly PartitionedRateLimiter<string> _perAccount;
        private readonly PartitionedRateLimiter<string> _perAddress;

        public LoginThrottle(int perAccount, int perAddress, TimeSpan window)
        {
            _perAccount = Limiter(perAccount, window);
            _perAddress = Limiter(perAddress, window);
            Window = window;
        }

        public TimeSpan Window { get; }

        private static PartitionedRateLimiter<string> Limiter(int permits, TimeSpan window) =>
            PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

        /// <summary>True when one more attempt for this account from this address is allowed now (and counts it).</summary>
        public bool TryAttempt(string account, string address)
        {
            using RateLimitLease byAddress = _perAddress.AttemptAcquire(address);
            if (!byAddress.IsAcquired) return false;
            using RateLimitLease byAccount = _perAccount.AttemptAcquire(account);
            return byAccount.IsAcquired;
        }

        public void Dispose()
        {
            _perAccount.Dispose();
            _perAddress.Dispose();
        }
    }
}
