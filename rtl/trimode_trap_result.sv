// Trimode trap result register: the trap decision held for the core.
//
// Loads kind, action, target and cause on a rising clk_i edge with load_i high
// and holds them otherwise (no toggling while idle); resets to "kind none,
// exec, U, cause 0". The one result register of the RTL, shared by
// trimode_trap_unit (the co-simulated unit: loads on an accepted request) and
// trimode_trap_decode (the sweep's pipelined unit: loads on every valid word).

module trimode_trap_result (
  input  logic                      clk_i,
  input  logic                      rst_ni,
  input  logic                      load_i,

  input  trimode_spec_pkg::kind_e   kind_i,
  input  trimode_spec_pkg::action_e action_i,
  input  trimode_spec_pkg::mode_e   target_i,
  input  logic [31:0]               cause_i,

  output trimode_spec_pkg::kind_e   kind_o,
  output trimode_spec_pkg::action_e action_o,
  output trimode_spec_pkg::mode_e   target_o,
  output logic [31:0]               cause_o
);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      kind_o   <= trimode_spec_pkg::KindNone;
      action_o <= trimode_spec_pkg::ActExec;
      target_o <= trimode_spec_pkg::ModeU;
      cause_o  <= '0;
    end else if (load_i) begin
      kind_o   <= kind_i;
      action_o <= action_i;
      target_o <= target_i;
      cause_o  <= cause_i;
    end
  end

endmodule
