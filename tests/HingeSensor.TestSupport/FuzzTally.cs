using System;
using System.Collections.Generic;
using System.Linq;

namespace HingeSensor.TestSupport
{
    /// <summary>
    /// The counts of one decoder fuzz campaign: cases run, refusals (the decoder said no, as it
    /// should), crashes (an exception of a type the decoder does not promise) and corrupt data
    /// accepted (a yes to something outside the protocol's limits). Keeps the first few crashes and
    /// the first few corrupt acceptances with how to reproduce them, and prints one line a script
    /// can read.
    /// </summary>
    public sealed class FuzzTally
    {
        private const int KeptProblems = 5;
        private readonly Type[] _refusals;
        private readonly List<string> _crashes = new();
        private readonly List<string> _corrupt = new();

        /// <param name="decoder">The decoder's name in the summary line.</param>
        /// <param name="refusals">Exception types that are the decoder's own way to say no.</param>
        public FuzzTally(string decoder, params Type[] refusals)
        {
            Decoder = decoder;
            _refusals = refusals;
        }

        public string Decoder { get; }
        public int Cases { get; private set; }
        public int Refused { get; private set; }
        public int Crashes { get; private set; }
        public int AcceptedCorrupt { get; private set; }

        /// <summary>The first problems, each with its case's reproduction.</summary>
        public string Problems => _crashes.Count + _corrupt.Count == 0 ? "none" : string.Join(Environment.NewLine, _crashes.Concat(_corrupt));

        /// <summary>
        /// Runs one case. <paramref name="decode"/> returns null when the decoder refused the input
        /// in its own way ("refused"), or what it accepted checked: "" when that is within the
        /// protocol's limits, otherwise why it is not. An exception of a refusal type is a refusal,
        /// any other a crash.
        /// </summary>
        public void Run(Func<string> reproduction, Func<string?> decode)
        {
            Cases++;
            string? verdict;
            try { verdict = decode(); }
            catch (Exception e) when (_refusals.Any(t => t.IsInstanceOfType(e)))
            {
                Refused++;
                return;
            }
            catch (Exception e)
            {
                Crash(reproduction(), e.GetType().Name + ": " + e.Message + Environment.NewLine + e.StackTrace);
                return;
            }
            if (verdict == null) Refused++;
            else if (verdict.Length > 0) Corrupt(reproduction(), verdict);
        }

        /// <summary><see cref="Run"/> for a decoder reached through asynchronous code.</summary>
        public async System.Threading.Tasks.Task RunAsync(Func<string> reproduction, Func<System.Threading.Tasks.Task<string?>> decode)
        {
            string? verdict = null;
            Exception? thrown = null;
            try { verdict = await decode(); }
            catch (Exception e) { thrown = e; }
            Run(reproduction, () =>
            {
                if (thrown != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(thrown);
                return verdict;
            });
        }

        /// <summary>Counts a case run outside <see cref="Run"/>.</summary>
        public void Count(int cases = 1) => Cases += cases;

        public void Refusal(int n = 1) => Refused += n;

        public void Crash(string reproduction, string what)
        {
            Crashes++;
            Keep(_crashes, $"crash, {reproduction}: {what}");
        }

        public void Corrupt(string reproduction, string why)
        {
            AcceptedCorrupt++;
            Keep(_corrupt, $"corrupt accepted, {reproduction}: {why}");
        }

        private static void Keep(List<string> problems, string problem)
        {
            lock (problems) if (problems.Count < KeptProblems) problems.Add(problem);
        }

        /// <summary>The campaign's line: <c>CAMPAIGN decoder=… cases=… crashes=… accepted_corrupt=… refused=… scale=slice|long</c>.</summary>
        public string Summary =>
            $"CAMPAIGN decoder={Decoder} cases={Cases} crashes={Crashes} accepted_corrupt={AcceptedCorrupt} refused={Refused} scale={CampaignScale.Name}";
    }
}
