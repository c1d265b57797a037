using System.Threading.Tasks;
using HingeSensor.Server.Schema;

namespace HingeSensor.Server
{
    /// <summary>
    /// Whether the database can be used yet: the server listens at once, answers 503 saying why
    /// until the database is reachable and migrated, then serves. A schema it must not touch (newer,
    /// or not a hinge server's) ends the server: <see cref="Refused"/>.
    /// </summary>
    public sealed class DatabaseState
    {
        private readonly TaskCompletionSource<SchemaRefusedException> _refused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private volatile string _problem = "connecting to the database";

        public bool IsReady => _ready.Task.IsCompletedSuccessfully;

        /// <summary>The schema version once migrated.</summary>
        public Task<int> Ready => _ready.Task;

        /// <summary>Completes when the database is refused: the server cannot go on.</summary>
        public Task<SchemaRefusedException> Refused => _refused.Task;

        /// <summary>Why the database cannot be used yet.</summary>
        public string Problem => _problem;

        internal void Waiting(string problem) => _problem = problem;

        internal void Migrated(int version) => _ready.TrySetResult(version);

        internal void Refuse(SchemaRefusedException e)
        {
            _problem = e.Message;
            _refused.TrySetResult(e);
        }
    }
}
