using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Simulation.Body;
using HingeSensor.Simulation.Choreography;
using HingeSensor.Simulation.Geometry;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.Simulation.Sensors;
using HingeSensor.Simulation.Truth;

namespace HingeSensor.Simulation
{
    /// <summary>One lockstep row of the simulated recording with the truth at that instant.</summary>
    public sealed record SimulatedRow(ImuRow Imu, TruthAngles Truth);

    /// <summary>
    /// A scenario played by a simulated wearer with three simulated MPU6050s: streams the lockstep
    /// rows a recording device would write, and builds the ground-truth labels as it goes.
    /// Everything is drawn from the seed: the same scenario and seed give the same bytes.
    /// </summary>
    public sealed class WearerSimulation
    {
        private readonly Scenario _scenario;
        private readonly int _seed;
        private readonly Choreographer _choreographer;
        private readonly Mat3[] _neutral;
        private Labels? _labels;

        public WearerSimulation(Scenario scenario, int seed)
        {
            ScenarioLoader.Validate(scenario);
            _scenario = scenario;
            _seed = seed;
            var rng = new Random(seed);
            Person = scenario.Person.ToPerson();
            Body = new Anthropometry(Person.HeightCm / 100);
            _choreographer = new Choreographer(Person, new Random(rng.Next()), scenario.Definitions);
            _choreographer.Perform(scenario.Sequence);
            Sites = SensorSite.Draw(Body, scenario.Sensors.Mounting, scenario.Sensors.StrapOffsetCm, new Random(rng.Next()));
            ChipConfig = new Mpu6050Config
            {
                AccelRangeG = scenario.Sensors.AccelRangeG, GyroRangeDps = scenario.Sensors.GyroRangeDps, DlpfCfg = scenario.Sensors.DlpfCfg,
                RateHz = scenario.RateHz, ClockErrorPpmSd = scenario.Sensors.ClockErrorPpmSd, Imperfect = scenario.Sensors.Imperfect,
            };
            Chips = Enumerable.Range(0, 3).Select(_ => new Mpu6050Model(ChipConfig, rng.Next())).ToArray();
            Physics = new WearerPhysics(_choreographer.Channels, Body, Sites);
            _neutral = WearerPhysics.NeutralOrientations(Person, Body);
        }

        public Scenario Scenario => _scenario;
        public int Seed => _seed;
        public Person Person { get; }
        public Anthropometry Body { get; }
        public SensorSite[] Sites { get; }
        public Mpu6050Config ChipConfig { get; }
        public Mpu6050Model[] Chips { get; }
        public WearerPhysics Physics { get; }
        public IReadOnlyList<PlannedActivity> Plan => _choreographer.Plan;
        public double DurationS => _choreographer.DurationS;

        public double[]? Window(ActivityKind kind, double trim)
        {
            PlannedActivity? a = Plan.FirstOrDefault(p => p.Kind == kind);
            return a == null ? null : new[] { Math.Round(a.StartS + trim, 3), Math.Round(a.EndS - trim, 3) };
        }

        /// <summary>The truth of the segments the sensors sit on.</summary>
        public TruthAngles TruthNow() => TruthAngles.From(Physics.Skeleton,
            _neutral[(int)BodySegment.Head], _neutral[(int)BodySegment.UpperThorax], _neutral[(int)BodySegment.Pelvis]);

        /// <summary>Labels, complete once <see cref="Rows"/> has been enumerated to the end.</summary>
        public Labels Labels => _labels ?? throw new InvalidOperationException("enumerate Rows() to the end first");

        /// <summary>Streams the recording: physics at 1 kHz, chips on their own clocks, rows at the output rate.</summary>
        public IEnumerable<SimulatedRow> Rows()
        {
            var builder = new LabelBuilder(_scenario.Definitions, Plan, _choreographer.Spans);
            var recorder = new LockstepRecorder(new[] { ChipConfig, ChipConfig, ChipConfig }, _scenario.RateHz);
            var truth = new SensorTruth[3];
            var pendingTruth = new Queue<(double T, TruthAngles Truth)>();
            int periodMs = (int)Math.Round(1000 / _scenario.RateHz);
            long ticks = (long)Math.Floor(DurationS * 1000);
            for (long m = 0; m <= ticks + 2 * periodMs; m++)
            {
                double t = m * 1e-3;
                Physics.Tick(t, truth);
                for (int i = 0; i < 3; i++)
                    if (Chips[i].Tick(t, truth[i].SpecificForce, truth[i].Rate, out ChipSample s)) recorder.Push(i, s);
                if (m % periodMs == 0 && t <= DurationS)
                {
                    TruthAngles ta = TruthNow();
                    pendingTruth.Enqueue((t, ta));
                    builder.Add(t, ta, truth[(int)SensorPlace.Sacrum].Position.Z);
                }
                while (pendingTruth.Count > 0 && recorder.TryEmit(out ImuRow? row))
                {
                    var (_, ta) = pendingTruth.Dequeue();
                    yield return new SimulatedRow(row!, ta);
                }
            }
            var (reps, faults, activities, activity) = builder.Finish(DurationS);
            _labels = new Labels
            {
                Scenario = _scenario.Name, Seed = _seed, RateHz = _scenario.RateHz, DurationS = Math.Round(DurationS, 3), HeightCm = Person.HeightCm,
                Definitions = _scenario.Definitions,
                NeutralWindow = Window(ActivityKind.CalibrateNeutral, 0.5),
                HingeWindow = Window(ActivityKind.CalibrateHinge, 0),
                RangeWindow = Window(ActivityKind.ToeTouch, 0),
                Mountings = Sites.Select((s, i) =>
                {
                    var q = s.SensorToSegment.Transpose().ToQuaternion(); // segment → sensor
                    return new LabelMounting(s.Place.ToString().ToLowerInvariant(), new[] { q.W, q.X, q.Y, q.Z }, new[] { s.Point.X, s.Point.Y, s.Point.Z }, Chips[i].ClockError * 1e6);
                }).ToList(),
                Reps = reps, Faults = faults, Activities = activities, Activity = activity,
            };
        }
    }
}
