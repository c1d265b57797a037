using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.TestSupport;
using HingeSensor.VirtualDevice.Models;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>The haptic language: every message its own rhythm, the table in docs/haptics.md the code's.</summary>
    public class HapticLanguageTests
    {
        private static IEnumerable<HapticPattern> Patterns() =>
            Enum.GetValues<HapticPattern>().Where(p => p != HapticPattern.None && p != HapticPattern.PairingPasskey);

        [Fact]
        public void No_two_patterns_share_a_rhythm_and_each_has_one()
        {
            var seen = new Dictionary<string, HapticPattern>();
            foreach (HapticPattern p in Patterns())
            {
                int[] r = HapticRhythm.Of(p);
                Assert.NotEmpty(r);
                string key = string.Join(",", r);
                Assert.False(seen.TryGetValue(key, out HapticPattern other), $"{p} and {other} feel the same: {key}");
                seen[key] = p;
            }
        }

        [Fact]
        public void Every_cue_has_its_own_pattern_and_the_positive_one_is_short_and_soft()
        {
            var patterns = new HashSet<HapticPattern>();
            for (int c = 1; c < CoachingCues.Count; c++)
            {
                HapticPattern p = AlertHaptics.PatternFor((CoachingCue)c);
                Assert.NotEqual(HapticPattern.None, p);
                Assert.True(patterns.Add(p));
                Assert.True(p < HapticPattern.HeadUp, $"{p} must not preempt a dowel-line fault");
            }
            int[] depth = HapticRhythm.Of(HapticPattern.DepthReached);
            Assert.True(depth.Sum() <= 200, "a positive cue is over in a blink");
            Assert.True(HapticRhythm.Strength(HapticPattern.DepthReached) < HapticRhythm.Strength(HapticPattern.BackRounding));
        }

        [Fact]
        public void A_fault_cuts_into_a_cue_and_a_cue_never_into_a_fault()
        {
            var motor = new MotorLog();
            var engine = new HapticEngine(motor);
            var alerts = new AlertHaptics(engine);
            alerts.OnCue(new CoachingCueEvent { Cue = CoachingCue.Squatting }, 0);
            Assert.Equal(HapticPattern.Squatting, engine.Playing);
            engine.Play(HapticPattern.BackRounding, 1000);
            Assert.Equal(HapticPattern.BackRounding, engine.Playing);
            alerts.OnCue(new CoachingCueEvent { Cue = CoachingCue.DepthReached }, 2000);
            Assert.Equal(HapticPattern.BackRounding, engine.Playing);
        }

        [Fact]
        public void The_table_in_docs_haptics_md_is_the_codes()
        {
            string[] rows = File.ReadAllLines(RepositoryPaths.InRepo("docs", "haptics.md"))
                .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| pattern", StringComparison.Ordinal)).ToArray();
            var documented = new HashSet<HapticPattern>();
            foreach (string row in rows)
            {
                string[] cells = row.Split('|').Select(c => c.Trim()).ToArray();
                HapticPattern p = Enum.Parse<HapticPattern>(cells[1]);
                documented.Add(p);
                Assert.Equal(((int)p).ToString(CultureInfo.InvariantCulture), cells[5]);
                Assert.Equal(HapticRhythm.Strength(p).ToString(CultureInfo.InvariantCulture), cells[4]);
                if (p != HapticPattern.PairingPasskey) Assert.Equal(string.Join(", ", HapticRhythm.Of(p)), cells[3]);
            }
            Assert.Equal(Enum.GetValues<HapticPattern>().Where(p => p != HapticPattern.None).ToHashSet(), documented);
        }
    }
}
